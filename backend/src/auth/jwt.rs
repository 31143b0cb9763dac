//! Short-lived access tokens: HS256 only, with `exp`, `iat`, `iss` and `aud` checked.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Lifetime of an access token.
pub const ACCESS_TOKEN_SECONDS: u64 = 10 * 60;
const ISSUER: &str = "quartier";
const AUDIENCE: &str = "quartier-api";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub iat: u64,
    pub exp: u64,
    pub iss: String,
    pub aud: String,
}

/// Signing and checking keys, derived once from the configured secret.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &str) -> JwtKeys {
        // Pinned to HS256: a token naming any other algorithm (or `none`) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        validation.validate_nbf = true;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    pub fn issue(&self, user_id: Uuid) -> anyhow::Result<String> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
        let claims = Claims {
            sub: user_id,
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The user id of a valid token, `None` for anything else — including a token that
    /// claims a longer life than we issue or was issued in the future, which only a
    /// holder of the secret could make and we would never.
    pub fn verify(&self, token: &str) -> Option<Uuid> {
        let claims = decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        let now = time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
        let leeway = self.validation.leeway;
        let lifetime_ok = claims.exp.saturating_sub(claims.iat) <= ACCESS_TOKEN_SECONDS;
        (lifetime_ok && claims.iat <= now + leeway).then_some(claims.sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forged(keys_secret: &str, iat: i64, exp: i64, nbf: Option<i64>) -> String {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut claims = serde_json::json!({
            "sub": Uuid::new_v4(), "iat": now + iat, "exp": now + exp,
            "iss": ISSUER, "aud": AUDIENCE,
        });
        if let Some(nbf) = nbf {
            claims["nbf"] = serde_json::json!(now + nbf);
        }
        encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(keys_secret.as_bytes()),
        )
        .unwrap()
    }

    #[test]
    fn tokens_living_too_long_issued_ahead_or_not_yet_valid_are_refused() {
        let secret = "first-secret-first-secret-first-secret";
        let keys = JwtKeys::new(secret);
        assert!(
            keys.verify(&forged(secret, 0, 600, None)).is_some(),
            "a normal token"
        );
        assert!(
            keys.verify(&forged(secret, 0, 600, Some(0))).is_some(),
            "nbf now"
        );
        assert_eq!(
            keys.verify(&forged(secret, 0, 365 * 86_400, None)),
            None,
            "a year"
        );
        assert_eq!(
            keys.verify(&forged(secret, 3600, 3900, None)),
            None,
            "issued ahead"
        );
        assert_eq!(
            keys.verify(&forged(secret, 0, 600, Some(300))),
            None,
            "not yet valid"
        );
    }

    #[test]
    fn a_token_verifies_only_with_its_own_secret() {
        let keys = JwtKeys::new("first-secret-first-secret-first-secret");
        let other = JwtKeys::new("other-secret-other-secret-other-secret");
        let id = Uuid::new_v4();
        let token = keys.issue(id).unwrap();
        assert_eq!(keys.verify(&token), Some(id));
        assert_eq!(other.verify(&token), None);
        assert_eq!(keys.verify("not.a.token"), None);
    }
}
