use std::path::Path;

use quartier::auth::limits::LimitSettings;
use quartier::config::{Settings, sqlite_url};
use quartier::db::Db;
use quartier::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

/// A running server with its own database, stopped when dropped.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The database, for a second connection as another server instance would have.
    pub database_url: String,
    pub web_dir: TempDir,
    pub data_dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// POSTs a raw body with the given content type.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn post_json<T: serde::Serialize>(&self, path: &str, body: &T) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request failed")
    }
}

/// A fresh, migrated database URL: a temp SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url(data_dir: &Path) -> String {
    match std::env::var("QUARTIER_TEST_PG_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("qt_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connecting to QUARTIER_TEST_PG_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("creating a test database");
            admin.close().await.ok();
            replace_database(&admin_url, &name)
        }
        _ => sqlite_url(&data_dir.join("test.db")),
    }
}

/// `postgres://u:p@h:5432/postgres?x=y` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let slash = base.rfind('/').expect("database URL without a path");
    let mut out = format!("{}/{name}", &base[..slash]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with settings adjusted by `tweak` first.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    // Server logs only on request: `TEST_LOG=1 cargo test …`.
    if std::env::var("TEST_LOG").is_ok() {
        quartier::telemetry::init();
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let web_dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(data_dir.path()).await;
    let db = Db::connect(&database_url).await.expect("connecting");
    db.migrate().await.expect("migrating");
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        database_url: database_url.clone(),
        data_dir: data_dir.path().to_path_buf(),
        web_dir: web_dir.path().to_path_buf(),
        jwt_secret: "test-secret-test-secret-test-secret-0123".into(),
        demo: false,
        secure_cookies: false,
        hsts_max_age_secs: 0,
        help_flag_after_hours: 48,
        // Generous: only the rate-limit test runs into them, with its own settings.
        limits: LimitSettings {
            per_ip_per_minute: 10_000,
            per_account_per_minute: 10_000,
        },
        // No grace by default, so reuse detection is tested as it is after the window.
        refresh_grace_secs: 0,
    };
    tweak(&mut settings);
    let app = Application::build_with_db(settings, db.clone()).expect("building the app");
    let address = app.url();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        db,
        database_url,
        web_dir,
        data_dir,
    }
}

/// Reads a problem body and checks its media type.
pub async fn problem(response: reqwest::Response) -> shared::Problem {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    response.json().await.expect("a problem body")
}

/// The privacy notice version the server expects.
pub const NOTICE: &str = shared::accounts::PRIVACY_NOTICE_VERSION;
/// A password that passes the rules.
pub const GOOD_PASSWORD: &str = "Apfelbaum-Lindenweg-42";

impl TestApp {
    pub fn register_request(&self, email: &str) -> shared::accounts::RegisterRequest {
        shared::accounts::RegisterRequest {
            email: email.into(),
            password: GOOD_PASSWORD.into(),
            display_name: "Erna Schmidt".into(),
            language: shared::Language::De,
            home_quarter_id: None,
            volunteer: false,
            accept_privacy_notice: true,
            privacy_notice_version: NOTICE.into(),
        }
    }

    /// Registers and returns the session.
    pub async fn register(&self, email: &str) -> shared::SessionDto {
        let response = self
            .post_json("/api/v1/auth/register", &self.register_request(email))
            .await;
        assert_eq!(response.status(), 201, "registering {email}");
        response.json().await.expect("a session")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &shared::accounts::LoginRequest {
                email: email.into(),
                password: password.into(),
            },
        )
        .await
    }

    /// A request with a bearer token.
    pub fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
    }

    /// POST to a cookie-authenticated auth route, with the CSRF header.
    pub async fn post_with_cookie(&self, path: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("x-quartier-csrf", "1")
            .send()
            .await
            .expect("request failed")
    }
}

/// The refresh cookie value set by a response, if any.
pub fn refresh_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("quartier_refresh="))
        .map(str::to_owned)
}
