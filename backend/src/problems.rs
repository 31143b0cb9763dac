//! Turning actix's own rejections (bad JSON, unknown route, wrong method) into problems.

use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::ApiError;
use crate::startup::{AppState, MAX_JSON_BYTES};

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_JSON_BYTES)
        .error_handler(|err, _req| {
            let api_error = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                JsonPayloadError::Deserialize(e) => ApiError::MalformedBody(e.to_string()),
                other => ApiError::MalformedBody(other.to_string()),
            };
            api_error.into()
        })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req| ApiError::NotFound.into())
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        ApiError::MalformedBody(err.to_string()).into()
    })
}

/// Default service of the API scope. A path the document lists, asked with a method it
/// does not list, is 405 with `Allow`: actix's `#[get]`-style routes guard their whole
/// resource, so a wrong method falls through to here instead of reaching actix's own 405.
pub async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match state.docs.routes.allowed(req.path()) {
        Some(methods) => {
            let mut response = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::NotFound.error_response(),
    }
}

/// actix answers a wrong method with an empty 405; give it a problem body.
pub fn method_not_allowed<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let (req, old) = res.into_parts();
    let mut response = ApiError::MethodNotAllowed.error_response();
    // Keep what was already said (`Allow`, `Cache-Control`); only the body is new.
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
