//! The only place that talks HTTP. Pages call the typed functions here.
//!
//! Built directly on the browser's `fetch` (web-sys) rather than gloo-net: we need
//! GET/POST of JSON and the problem body on errors, which is a few lines here,
//! while gloo-net would add the `http` crate and its own error layer to every
//! download of the app.

use serde::de::DeserializeOwned;
use shared::{API_PREFIX, HealthDto, Problem};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Texts;

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem document (RFC 9457).
    Problem(Problem),
    /// No answer: offline, connection dropped, server down.
    Network,
    /// The server answered, but not with something we can read (e.g. a proxy's
    /// HTML error page).
    UnexpectedResponse { status: u16 },
}

impl ApiError {
    /// A message for the reader, in their language.
    pub fn message(&self, texts: &'static Texts) -> &'static str {
        match self {
            ApiError::Problem(problem) => texts.errors.for_code(problem.code),
            ApiError::Network => texts.errors.network,
            ApiError::UnexpectedResponse { .. } => texts.errors.unexpected_response,
        }
    }
}

/// `GET /api/v1/health`. A degraded server may answer with an error status and
/// still send its health; that is a result, not an error.
pub async fn health() -> Result<HealthDto, ApiError> {
    let (status, body) = get("/health").await?;
    decode(status, &body).or_else(|err| serde_json::from_str(&body).map_err(|_| err))
}

/// Reads a success body as `T`, an error body as the server's problem.
fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| ApiError::UnexpectedResponse { status })
    } else {
        Err(error_from(status, body))
    }
}

fn error_from(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<Problem>(body) {
        Ok(problem) => ApiError::Problem(problem),
        Err(_) => ApiError::UnexpectedResponse { status },
    }
}

/// Sends a GET and returns the status and body text.
async fn get(path: &str) -> Result<(u16, String), ApiError> {
    send("GET", path).await.map_err(|_| ApiError::Network)
}

async fn send(method: &str, path: &str) -> Result<(u16, String), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = web_sys::Headers::new()?;
    headers.append("Accept", "application/json, application/problem+json")?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    let url = format!("{API_PREFIX}{path}");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ErrorCode;

    const PROBLEM: &str = r#"{"type":"/api/v1/problems/unavailable","title":"Unavailable",
        "status":503,"code":"unavailable"}"#;

    #[test]
    fn success_bodies_decode_to_the_dto() {
        let body = r#"{"status":"ok","version":"0.1.0","database":"sqlite",
            "migration":"m1_init","migrations_applied":1,"migrations_known":1}"#;
        let health = decode::<HealthDto>(200, body).map(|h| h.version);
        assert_eq!(health, Ok("0.1.0".to_owned()));
    }

    #[test]
    fn error_statuses_carry_the_servers_problem() {
        let Err(err) = decode::<HealthDto>(503, PROBLEM) else {
            panic!("an error status must not decode as success");
        };
        let ApiError::Problem(problem) = &err else {
            panic!("expected a problem, got {err:?}");
        };
        assert_eq!(problem.code, ErrorCode::Unavailable);
        assert_eq!(
            err.message(&crate::i18n::DE),
            crate::i18n::DE.errors.unavailable
        );
    }

    #[test]
    fn unreadable_answers_are_unexpected_responses() {
        assert_eq!(
            decode::<HealthDto>(502, "<html>Bad gateway</html>"),
            Err(ApiError::UnexpectedResponse { status: 502 })
        );
        assert_eq!(
            decode::<HealthDto>(200, "{}"),
            Err(ApiError::UnexpectedResponse { status: 200 })
        );
    }
}
