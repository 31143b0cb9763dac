//! Random tokens and password hashing.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// URL-safe random string from `bytes` bytes of OS randomness.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Letters and digits that cannot be mistaken for one another when read out on the
/// phone or typed from a letter (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
pub const READABLE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";

/// A short code for people to type: `len` characters from `READABLE_ALPHABET`.
pub fn readable_code(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| READABLE_ALPHABET[rng.random_range(0..READABLE_ALPHABET.len())] as char)
        .collect()
}

/// An 8-character code as people see it: `ABCD-EFGH`.
pub fn shown_code(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..])
}

/// Normalises a typed code: upper case, spaces and dashes removed.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// SHA-256 of a token, hex: what we store instead of a refresh or reset token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2id with OWASP's first recommended setting: m = 19 MiB, t = 2, p = 1.
pub fn argon2() -> Argon2<'static> {
    // The parameters are constants inside argon2's documented bounds.
    #[allow(clippy::expect_used)]
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Password hashes waiting for a core, beyond those running, before new ones are
/// turned away with 503.
pub const HASH_QUEUE: usize = 64;

/// Bounds password hashing: as many hashes at once as there are cores (each takes
/// 19 MiB, so an unbounded blocking pool lets a burst of sign-ins take gigabytes), up to
/// `HASH_QUEUE` more waiting their turn, and 503 with `Retry-After` beyond that instead
/// of memory spent on a queue an attacker controls. The server has one in its state.
pub struct Hashing {
    semaphore: Semaphore,
    permits: usize,
    waiting: AtomicUsize,
}

impl Default for Hashing {
    fn default() -> Hashing {
        let permits = std::thread::available_parallelism().map_or(2, usize::from);
        Hashing {
            semaphore: Semaphore::new(permits),
            permits,
            waiting: AtomicUsize::new(0),
        }
    }
}

/// For work outside a server (the command line, demo data).
pub fn shared_hashing() -> &'static Hashing {
    static SHARED: OnceLock<Hashing> = OnceLock::new();
    SHARED.get_or_init(Hashing::default)
}

impl Hashing {
    /// Runs a password hash or check on the blocking pool within the bound.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        if ahead >= self.permits + HASH_QUEUE {
            return Err(ApiError::Busy {
                retry_after_secs: 2,
            });
        }
        let _permit = self
            .semaphore
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ApiError::Internal(e.into()))
    }
}

/// Hashes a password (PHC string). CPU-heavy: call through `Hashing::run`.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Checks a password against a stored PHC string. CPU-heavy: call through `Hashing::run`.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => argon2().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash_password("lange genug 123").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("lange genug 123", &phc));
        assert!(!verify_password("lange genug 124", &phc));
        assert!(!verify_password("lange genug 123", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        assert_ne!(random_token(32), random_token(32));
        // SHA-256 of "a" (FIPS 180-2 test vectors), as lower-case hex.
        assert_eq!(
            token_hash("a"),
            "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
        );
        assert_ne!(token_hash("a"), token_hash("b"));
    }
}
