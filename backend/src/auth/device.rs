//! Device cookies (OWASP's "slow down online guessing with device cookies"): a device
//! that signed in to an account before keeps its own per-account attempt counter, so a
//! stranger who uses up the account's counter with wrong passwords locks out only
//! devices that never signed in — never the owner's phone or laptop.
//!
//! The cookie holds a random nonce and an HMAC over the e-mail address and the nonce
//! under the server secret: it names no one, and it is valid only for the account it was
//! issued for.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use base64::Engine;
use hmac::{Hmac, Mac};

use crate::auth::sessions::REFRESH_COOKIE_PATH;
use crate::crypto::random_token;
use crate::startup::AppState;

/// Name of the HttpOnly device cookie.
pub const DEVICE_COOKIE: &str = "quartier_device";
/// A device counts as known for a year after its last sign-in.
const DEVICE_DAYS: i64 = 365;

fn mac(state: &AppState, email: &str, nonce: &str) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(state.settings.jwt_secret.as_bytes())
        .expect("HMAC accepts any key length");
    mac.update(b"quartier device\0");
    mac.update(email.as_bytes());
    mac.update(b"\0");
    mac.update(nonce.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The nonce of the request's device cookie if it was issued for `email` (normalised).
pub fn known_device(state: &AppState, req: &HttpRequest, email: &str) -> Option<String> {
    let cookie = req.cookie(DEVICE_COOKIE)?;
    let (nonce, tag) = cookie.value().split_once('.')?;
    let expected = mac(state, email, nonce);
    // Constant-time comparison of the tags.
    let same = expected.len() == tag.len()
        && expected
            .bytes()
            .zip(tag.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then(|| nonce.to_owned())
}

/// A device cookie for `email` (normalised), set after a successful sign-in.
pub fn cookie(state: &AppState, email: &str) -> Cookie<'static> {
    let nonce = random_token(16);
    let value = format!("{nonce}.{}", mac(state, email, &nonce));
    Cookie::build(DEVICE_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(DEVICE_DAYS))
        .finish()
}
