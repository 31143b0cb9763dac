//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use shared::problem::PROBLEM_CONTENT_TYPE;
use shared::{ErrorCode, FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Too much work queued (e.g. password hashes); try again shortly.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// One invalid field, for the common case.
    pub fn field(field: &str, code: &str) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
        }])
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::MalformedBody(_) => ErrorCode::MalformedBody,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Unauthenticated => ErrorCode::Unauthenticated,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::MalformedBody(why) => Some(why.clone()),
            ApiError::Conflict(what) => Some(what.clone()),
            ApiError::RateLimited { retry_after_secs } | ApiError::Busy { retry_after_secs } => {
                Some(format!("Try again in {retry_after_secs} seconds."))
            }
            // Internal causes are logged, never sent.
            _ => None,
        }
    }

    /// The problem body for this error.
    pub fn problem(&self) -> Problem {
        let code = self.code();
        Problem {
            kind: format!("{}/problems/{}", shared::API_PREFIX, code.as_str()),
            title: title(code).to_owned(),
            status: code.status(),
            detail: self.detail(),
            code,
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

fn title(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::MalformedBody => "The request body could not be read",
        ErrorCode::ValidationFailed => "Some fields are invalid",
        ErrorCode::PayloadTooLarge => "The request body is too large",
        ErrorCode::UnsupportedMediaType => "The request body must be JSON",
        ErrorCode::NotFound => "Not found",
        ErrorCode::MethodNotAllowed => "Method not allowed",
        ErrorCode::Unauthenticated => "Not signed in",
        ErrorCode::Forbidden => "Not allowed",
        ErrorCode::Conflict => "Conflict with existing data",
        ErrorCode::RateLimited => "Too many requests",
        ErrorCode::Internal => "Internal server error",
        ErrorCode::Unavailable => "Service unavailable",
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> ApiError {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::Conflict("This already exists.".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                ApiError::Conflict("A referenced record does not exist.".into())
            }
            _ => match err {
                DbErr::ConnectionAcquire(e) => ApiError::Unavailable(e.to_string()),
                other => ApiError::Internal(anyhow::Error::new(other).context("database error")),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::error!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        ));
        if let ApiError::RateLimited { retry_after_secs } | ApiError::Busy { retry_after_secs } =
            self
        {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        response.json(self.problem())
    }
}
