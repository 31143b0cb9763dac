//! The HTTP contract between Quartier's backend and its web app.
//!
//! Only serde types and the validation both sides need live here, so the crate
//! builds for `wasm32-unknown-unknown` as well as for the server.

/// Request bodies are JSON objects, as the OpenAPI document says, but serde's derived
/// `Deserialize` also takes an array of a struct's fields in order: for a request whose
/// fields are all optional, `[]` was a valid "change nothing". On a struct marked
/// `#[serde(remote = "Self")]` (which makes the derived code inherent functions), this
/// implements the traits with those functions, reading from a JSON object only.
macro_rules! object_only {
    ($ty:ty) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a JSON object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        // The inherent (derived) function, not this trait's.
                        <$ty>::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_map(ObjectVisitor)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, s)
            }
        }
    };
}

pub mod accounts;
pub mod contact;
pub mod health;
pub mod help;
pub mod prefs;
pub mod problem;
pub mod quarters;
pub mod surveys;

pub use accounts::{AgeBand, MeDto, Role, SessionDto};
pub use health::{DatabaseKind, HealthDto, HealthStatus};
pub use prefs::{Language, TextSize, Theme};
pub use problem::{ErrorCode, FieldError, Problem};

/// Path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
