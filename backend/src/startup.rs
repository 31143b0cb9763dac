//! `Application`: the one place the server is wired. `main` and the tests both use it.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Server, Service};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope, service_config::ServiceConfig};

use crate::auth::jwt::JwtKeys;
use crate::auth::limits::Limits;
use crate::config::Settings;
use crate::db::Db;
use crate::openapi::{ApiDoc, ApiDocs};
use crate::surveys::{Ingest, SurveyCache};
use crate::{
    accounts, auth, contact, demo, health, help, openapi, problems, quarters, surveys,
    web as webapp,
};

/// Largest JSON body accepted (bigger gets 413).
pub const MAX_JSON_BYTES: usize = 256 * 1024;

/// Shared by every request handler.
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub docs: ApiDocs,
    pub jwt: JwtKeys,
    pub limits: Limits,
    /// The group-committing writer of survey responses.
    pub ingest: Ingest,
    /// Surveys as the answering page needs them, parsed, for a moment (`surveys/cache.rs`).
    pub surveys: SurveyCache,
    /// The bound on concurrent password hashes.
    pub hashing: crate::crypto::Hashing,
}

/// Every API route, under `/api/v1`. Feature modules register their own routes.
///
/// The router tries resources in the order they are registered, matching each dynamic
/// path with a regex: the surveys' routes come first, so that a survey submission (the
/// hot path, `surveys::routes` starts with it) does not first try every other route.
fn configure_api(cfg: &mut ServiceConfig) {
    cfg.configure(surveys::routes)
        .configure(health::routes)
        .configure(auth::routes::routes)
        .configure(accounts::routes)
        .configure(quarters::routes)
        .configure(contact::routes)
        .configure(help::routes);
    // Resources rather than `route`: a route's method guard would move to its resource,
    // and a POST would then fall through to the 404 of unknown paths instead of a 405.
    cfg.map(|cfg| {
        cfg.service(web::resource("/openapi.json").route(web::get().to(openapi::json)))
            .service(web::resource("/docs").route(web::get().to(openapi::html)))
    });
}

/// The OpenAPI document, collected from the handlers registered in `configure_api`.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope(shared::API_PREFIX).configure(configure_api))
        .split_for_parts();
    let mut api = api;
    openapi::complete(&mut api);
    api
}

/// Bodies smaller than this are sent uncompressed: actix's brotli encoder sets up a
/// 4 MiB window for every answer, which cost more CPU than a whole survey submission
/// (`{"id":…,"duplicate":false}`) to save a few dozen bytes.
const COMPRESS_FROM: u64 = 1024;
/// Tells Compress to skip an answer (its documented opt-out); never sent.
static UNCOMPRESSED: HeaderValue = HeaderValue::from_static("identity");

/// Content-Security-Policy: our own scripts and the wasm they compile, nothing else.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

pub struct Application {
    port: u16,
    host: String,
    server: Server,
}

impl Application {
    /// Connects to the database, applies migrations, seeds demo data if asked, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate().await?;
        if settings.demo {
            demo::seed_if_empty(&db).await?;
        }
        Application::build_with_db(settings, db)
    }

    /// Binds and starts serving on an already migrated database.
    pub fn build_with_db(settings: Settings, db: Db) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding to {}", settings.bind))?;
        let address = listener.local_addr()?;
        let docs = ApiDocs::new(&api_doc());
        let hsts = (settings.hsts_max_age_secs > 0)
            .then(|| format!("max-age={}", settings.hsts_max_age_secs));
        let state = web::Data::new(AppState {
            db: db.clone(),
            jwt: JwtKeys::new(&settings.jwt_secret),
            limits: Limits::new(settings.limits),
            ingest: Ingest::start(db.clone()).context("starting the response writer")?,
            surveys: SurveyCache::default(),
            hashing: crate::crypto::Hashing::default(),
            settings: Arc::new(settings),
            docs,
        });
        crate::maintenance::start(Arc::downgrade(&state.clone().into_inner()));
        let server = HttpServer::new(move || {
            App::new()
                // Small answers go out as they are (see `COMPRESS_FROM`): marked here,
                // so that Compress leaves them alone, and unmarked outside it.
                .wrap_fn(|req, srv| {
                    let answer = srv.call(req);
                    async move {
                        let mut res = answer.await?;
                        if let BodySize::Sized(n) = res.response().body().size()
                            && n < COMPRESS_FROM
                            && !res.headers().contains_key(header::CONTENT_ENCODING)
                        {
                            res.headers_mut()
                                .insert(header::CONTENT_ENCODING, UNCOMPRESSED.clone());
                        }
                        Ok(res)
                    }
                })
                .wrap(Compress::default())
                .wrap_fn(|req, srv| {
                    let answer = srv.call(req);
                    async move {
                        let mut res = answer.await?;
                        if res.headers().get(header::CONTENT_ENCODING) == Some(&UNCOMPRESSED) {
                            res.headers_mut().remove(header::CONTENT_ENCODING);
                        }
                        Ok(res)
                    }
                })
                .wrap({
                    let headers = DefaultHeaders::new()
                        .add(("Content-Security-Policy", CSP))
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "no-referrer"))
                        .add(("X-Frame-Options", "DENY"))
                        .add(("Cross-Origin-Opener-Policy", "same-origin"))
                        .add((
                            "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), payment=()",
                        ));
                    match &hsts {
                        Some(value) => headers.add(("Strict-Transport-Security", value.clone())),
                        None => headers,
                    }
                })
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .app_data(problems::json_config())
                .app_data(problems::path_config())
                .app_data(problems::query_config())
                .into_utoipa_app()
                .service(
                    scope(shared::API_PREFIX)
                        .configure(configure_api)
                        .default_service(web::to(problems::not_found))
                        // API answers carry personal data (profile, export, results,
                        // access codes): no browser or proxy may keep a copy.
                        .wrap(DefaultHeaders::new().add(("Cache-Control", "no-store")))
                        .wrap(
                            ErrorHandlers::new().handler(
                                StatusCode::METHOD_NOT_ALLOWED,
                                problems::method_not_allowed,
                            ),
                        ),
                )
                .into_app()
                .default_service(web::to(webapp::serve))
        })
        .listen(listener)?
        .shutdown_timeout(30)
        .run();
        Ok(Application {
            port: address.port(),
            host: address.ip().to_string(),
            server,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Base URL, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// Serves until stopped. Tests drop it; `main` uses `run_until_signalled`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Serves until SIGINT or SIGTERM, then stops gracefully: no new connections,
    /// in-flight requests finish (up to 30 s).
    pub async fn run_until_signalled(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received; finishing in-flight requests");
            handle.stop(true).await;
        });
        self.server.await
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
