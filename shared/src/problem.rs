//! RFC 9457 problem details, the body of every API error.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. The web app translates them; clients may branch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON or does not have the expected shape.
    MalformedBody,
    /// The body is well-formed but a field is invalid; see `errors`.
    ValidationFailed,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// No such route or resource.
    NotFound,
    /// The method is not allowed on this route.
    MethodNotAllowed,
    /// Not signed in, or the token is invalid or expired.
    Unauthenticated,
    /// Signed in but not allowed to do this.
    Forbidden,
    /// The request conflicts with existing data (e.g. a duplicate).
    Conflict,
    /// Too many attempts; see the `Retry-After` header.
    RateLimited,
    /// The server failed; the cause is in its log.
    Internal,
    /// The database is not reachable.
    Unavailable,
}

impl ErrorCode {
    /// HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::MalformedBody | ErrorCode::ValidationFailed => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }

    /// Identifier used in the problem's `type` URI.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedBody => "malformed_body",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

/// One invalid field of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON name of the field, e.g. `email`.
    pub field: String,
    /// Stable code of what is wrong, e.g. `too_short`; the web app translates it.
    pub code: String,
}

/// The stable codes of [`FieldError::code`] that the server and the web app share: the
/// server sends them, the web app's own checks use the same ones, and its texts are
/// keyed by them. One spelling, here.
pub mod field_code {
    pub const REQUIRED: &str = "required";
    pub const TOO_SHORT: &str = "too_short";
    pub const TOO_LONG: &str = "too_long";
    /// A password on the common-password lists (or built from the person's own name).
    pub const TOO_COMMON: &str = "too_common";
    pub const INVALID_EMAIL: &str = "invalid_email";
    pub const INVALID_PHONE: &str = "invalid_phone";
    pub const INVALID_POSTCODE: &str = "invalid_postcode";
    pub const INVALID_URL: &str = "invalid_url";
    pub const INVALID_DATE: &str = "invalid_date";
    pub const INVALID_TIME_RANGE: &str = "invalid_time_range";
    pub const IN_THE_PAST: &str = "in_the_past";
    pub const NOT_A_NUMBER: &str = "not_a_number";
    pub const OUT_OF_RANGE: &str = "out_of_range";
    pub const NOT_ELIGIBLE: &str = "not_eligible";
    pub const BANDS_EXCEED_TOTAL: &str = "bands_exceed_total";
    /// A 409 shown at the field that caused it (an address already registered).
    pub const TAKEN: &str = "taken";
    pub const UNKNOWN_QUARTER: &str = "unknown_quarter";
    pub const WRONG_PASSWORD: &str = "wrong_password";
    /// A reset or invitation code that is wrong, used or expired (one answer for all).
    pub const INVALID_CODE: &str = "invalid_code";
    /// Consent given to an earlier version of the privacy notice.
    pub const OUTDATED: &str = "outdated";
}

/// `application/problem+json` body (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI reference naming the problem type: `/api/v1/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short English summary of the problem type.
    pub title: String,
    pub status: u16,
    /// Human-readable explanation of this occurrence (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Per-field validation errors, when `code` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Media type of problem bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_serializes_type_member_and_omits_empty_fields() {
        let p = Problem {
            kind: "/api/v1/problems/not_found".into(),
            title: "Not found".into(),
            status: 404,
            detail: None,
            code: ErrorCode::NotFound,
            errors: vec![],
        };
        let v = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(v["type"], "/api/v1/problems/not_found");
        assert_eq!(v["code"], "not_found");
        assert!(v.get("errors").is_none());
        assert!(v.get("detail").is_none());
    }
}
