//! The OpenAPI 3.1 document (collected from the handlers by utoipa) and a
//! human-readable page rendered from it on the server: no third-party script, so it
//! passes our own CSP.

use std::fmt::Write;

use actix_web::{HttpResponse, web};
use utoipa::openapi::{OpenApi, PathItem, path::Operation};

use crate::startup::AppState;

/// Top-level information; paths and schemas are added by `utoipa_actix_web`.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Quartier API",
        description = "JSON API of Quartier, a platform for age-friendly neighbourhood management. \
                       Errors are RFC 9457 `application/problem+json` with a stable `code`.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Health and API description"),
        (name = "auth", description = "Sign-up, sign-in, sessions, invitations, password reset"),
        (name = "me", description = "The signed-in user's own account and data"),
        (name = "quarters", description = "Quarters and their population figures"),
        (name = "contact", description = "Organisations' offices: address, telephone, opening hours, legal notice"),
        (name = "manager", description = "Neighbourhood managers: residents of their quarters"),
        (name = "admin", description = "Organisation admins: managers, invitations, audit log"),
        (name = "help", description = "Neighbourly help: volunteers' offers and their verification"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` scheme the operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document and its page, rendered once at start.
pub struct ApiDocs {
    pub json: String,
    pub html: String,
}

impl ApiDocs {
    pub fn new(api: &OpenApi) -> ApiDocs {
        ApiDocs {
            json: api.to_json().unwrap_or_else(|_| "{}".into()),
            html: render_html(api),
        }
    }
}

/// `GET /api/v1/openapi.json`
pub async fn json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(state.docs.json.clone())
}

/// `GET /api/v1/docs`
pub async fn html(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(state.docs.html.clone())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn operations(item: &PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

/// A plain page listing every operation with its summary and responses.
fn render_html(api: &OpenApi) -> String {
    let mut body = String::new();
    for (path, item) in &api.paths.paths {
        for (method, op) in operations(item) {
            let summary = op
                .summary
                .as_deref()
                .or(op.description.as_deref())
                .unwrap_or("");
            let _ = write!(
                body,
                "<section><h2><code>{method} {}</code></h2><p>{}</p><ul>",
                escape(path),
                escape(summary)
            );
            for (status, response) in &op.responses.responses {
                let text = match response {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                let _ = write!(
                    body,
                    "<li><strong>{}</strong> {}</li>",
                    escape(status),
                    escape(&text)
                );
            }
            body.push_str("</ul></section>");
        }
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} {version}</title></head><body><main><h1>{title} {version}</h1>\
         <p>{description}</p><p>Machine-readable: <a href=\"{prefix}/openapi.json\">OpenAPI 3.1 document</a>.</p>\
         {body}</main></body></html>",
        title = escape(&api.info.title),
        version = escape(&api.info.version),
        description = escape(api.info.description.as_deref().unwrap_or("")),
        prefix = shared::API_PREFIX,
    )
}
