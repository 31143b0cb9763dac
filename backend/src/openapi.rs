//! The OpenAPI 3.1 document (collected from the handlers by utoipa) and a
//! human-readable page rendered from it on the server: no third-party script, so it
//! passes our own CSP.

use std::fmt::Write;

use actix_web::{HttpResponse, web};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Content, OpenApi, PathItem, Ref, RefOr, Server};

use crate::startup::AppState;

/// Top-level information; paths and schemas are added by `utoipa_actix_web`.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Quartier API",
        description = "JSON API of Quartier, a platform for age-friendly neighbourhood management. \
                       Errors are RFC 9457 `application/problem+json` with a stable `code`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
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
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "refresh_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "quartier_refresh",
                "The HttpOnly session cookie set by sign-in; sent with the header \
                 `x-quartier-csrf`.",
            ))),
        );
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

/// Makes the collected document say what the server does for every operation, beyond
/// what each handler declares: every error is `application/problem+json`; what actix
/// itself refuses (a body that is not JSON, too large, of another type; a malformed
/// query) is listed where it can happen; a 5XX can always happen; an operation without
/// a token says so (`security: []`); every response has a description.
/// `tests/api/contract.rs` and the test lane's Schemathesis step check it against the server.
pub fn complete(api: &mut OpenApi) {
    api.servers = Some(vec![{
        let mut server = Server::new("/");
        server.description = Some("This server; every path starts with /api/v1".into());
        server
    }]);
    let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
    for item in api.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut op.responses.responses;
            let mut add = |status: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(Response::new("")));
            };
            if op.request_body.is_some() {
                add("400");
                add("413");
                add("415");
            }
            let has_query = op.parameters.iter().flatten().any(|p| match p {
                RefOr::T(p) => p.parameter_in == ParameterIn::Query,
                RefOr::Ref(_) => false,
            });
            if has_query {
                add("400");
            }
            // A path parameter that does not parse (not a UUID) is 404, like an unknown id.
            let has_path = op.parameters.iter().flatten().any(|p| match p {
                RefOr::T(p) => p.parameter_in == ParameterIn::Path,
                RefOr::Ref(_) => false,
            });
            if has_path {
                add("404");
            }
            match &op.security {
                None => op.security = Some(Vec::new()),
                // A token is required: without one (or with an expired one) it is 401.
                Some(ways) if ways.iter().all(|w| *w == bearer) => add("401"),
                Some(_) => {}
            }
            add("5XX");
            for (status, response) in responses.iter_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                if response.description.is_empty() {
                    response.description = describe(status).to_owned();
                }
                if status.starts_with('4') || status.starts_with('5') {
                    response.content.clear();
                    response.content.insert(
                        shared::problem::PROBLEM_CONTENT_TYPE.to_owned(),
                        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
                    );
                }
            }
        }
    }
}

/// What a status means here, for responses a handler did not describe.
fn describe(status: &str) -> &'static str {
    match status {
        "200" => "Done",
        "201" => "Created",
        "204" => "Done; no content",
        "400" => {
            "The body, a parameter or a field is invalid (`malformed_body`, `validation_failed` with field errors); nothing changed"
        }
        "401" => "Not signed in, or the token is invalid or expired",
        "403" => "The caller's role may not do this",
        "404" => "Not found, or outside the caller's scope",
        "409" => "Conflicts with existing data",
        "413" => "The body is larger than 256 KiB",
        "415" => "The body is not `application/json`",
        "429" => "Too many attempts; see `Retry-After`",
        "5XX" => {
            "The server failed (500, cause in its log) or the database or the password hashing is busy (503, see `Retry-After`)"
        }
        _ => "See the problem's `code`",
    }
}

/// The methods each documented path answers to, for a 405 instead of a 404 when another
/// method arrives (`problems::not_found`).
pub struct Routes(Vec<(Vec<String>, Vec<&'static str>)>);

impl Routes {
    fn new(api: &OpenApi) -> Routes {
        Routes(
            api.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let segments = path.split('/').map(str::to_owned).collect();
                    let methods = operations(item).into_iter().map(|(m, _)| m).collect();
                    (segments, methods)
                })
                .collect(),
        )
    }

    /// The methods of the documented path `path` matches, if any (`{x}` matches one segment).
    pub fn allowed(&self, path: &str) -> Option<&[&'static str]> {
        let given: Vec<&str> = path.split('/').collect();
        self.0.iter().find_map(|(segments, methods)| {
            let fits = segments.len() == given.len()
                && segments
                    .iter()
                    .zip(&given)
                    .all(|(want, got)| (want.starts_with('{') && !got.is_empty()) || want == got);
            fits.then_some(methods.as_slice())
        })
    }
}

/// The document and its page, rendered once at start.
pub struct ApiDocs {
    pub json: String,
    pub html: String,
    pub routes: Routes,
}

impl ApiDocs {
    pub fn new(api: &OpenApi) -> ApiDocs {
        ApiDocs {
            json: api.to_json().unwrap_or_else(|_| "{}".into()),
            html: render_html(api),
            routes: Routes::new(api),
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
