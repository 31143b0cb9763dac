//! The HTTP contract between Quartier's backend and its web app.
//!
//! Only serde types and the validation both sides need live here, so the crate
//! builds for `wasm32-unknown-unknown` as well as for the server.

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
