//! Configuration from environment variables (see README, "Configuration").

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::auth::limits::LimitSettings;

/// Everything the server needs to start. Built from the environment in `main`,
/// and directly by the tests. `Debug` leaves the JWT secret out.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Directory for the SQLite file and the generated JWT secret.
    pub data_dir: PathBuf,
    /// Directory of the compiled web app (`dist/` from `cargo xtask build-web`).
    pub web_dir: PathBuf,
    /// Secret for signing access tokens.
    pub jwt_secret: String,
    /// Seed demo data on start when the database holds no organisation yet.
    pub demo: bool,
    /// Mark the refresh cookie `Secure` (on by default; off only for plain-HTTP loopback).
    pub secure_cookies: bool,
    /// Attempts per minute for login, registration and code redemption.
    pub limits: LimitSettings,
    /// Seconds during which a just-rotated refresh token may be presented again
    /// (two tabs refreshing at once) without being treated as stolen.
    pub refresh_grace_secs: i64,
    /// `Strict-Transport-Security: max-age=…` on every answer when above 0. Only for a
    /// server reached over HTTPS (directly or through a TLS proxy): browsers then refuse
    /// plain HTTP to this host for that long.
    pub hsts_max_age_secs: u32,
    /// Hours an open help request may wait for a volunteer before its quarter's managers
    /// are told.
    pub help_flag_after_hours: u32,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &redact_password(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("web_dir", &self.web_dir)
            .field("jwt_secret", &"[redacted]")
            .field("demo", &self.demo)
            .field("secure_cookies", &self.secure_cookies)
            .field("limits", &self.limits)
            .field("refresh_grace_secs", &self.refresh_grace_secs)
            .field("hsts_max_age_secs", &self.hsts_max_age_secs)
            .field("help_flag_after_hours", &self.help_flag_after_hours)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:[redacted]@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:[redacted]@{host}")
        }
        None => url.to_owned(),
    }
}

impl Settings {
    /// Reads `QUARTIER_BIND`, `DATABASE_URL`, `QUARTIER_DATA_DIR`, `QUARTIER_WEB_DIR`,
    /// `QUARTIER_JWT_SECRET` and `QUARTIER_DEMO`.
    pub fn from_env() -> anyhow::Result<Settings> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("QUARTIER_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir).with_context(|| {
                    format!("creating the data directory {}", data_dir.display())
                })?;
                sqlite_url(&data_dir.join("quartier.db"))
            }
        };
        let jwt_secret = match var("QUARTIER_JWT_SECRET") {
            Some(secret) if secret.len() >= 32 => secret,
            Some(_) => bail!("QUARTIER_JWT_SECRET must be at least 32 characters long"),
            None if database_url.starts_with("sqlite:") => load_or_create_secret(&data_dir)?,
            None => bail!(
                "QUARTIER_JWT_SECRET is required with PostgreSQL: every server instance must sign \
                 tokens with the same secret (e.g. `openssl rand -hex 32`)"
            ),
        };
        let bind = var("QUARTIER_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let loopback =
            bind.starts_with("127.") || bind.starts_with("localhost") || bind.starts_with("[::1]");
        let secure_cookies = match var("QUARTIER_SECURE_COOKIES") {
            Some(v) => v == "1" || v == "true",
            // Behind TLS in production; browsers accept plain HTTP only on loopback.
            None => !loopback,
        };
        let number = |name: &str, default: u32| -> anyhow::Result<u32> {
            match var(name) {
                Some(v) => v
                    .parse()
                    .with_context(|| format!("{name} must be a number")),
                None => Ok(default),
            }
        };
        let defaults = LimitSettings::default();
        Ok(Settings {
            refresh_grace_secs: i64::from(number("QUARTIER_REFRESH_GRACE_SECS", 20)?),
            hsts_max_age_secs: number("QUARTIER_HSTS_SECS", 0)?,
            help_flag_after_hours: number("QUARTIER_HELP_FLAG_HOURS", 48)?,
            bind,
            secure_cookies,
            limits: LimitSettings {
                per_ip_per_minute: number("QUARTIER_LIMIT_PER_IP", defaults.per_ip_per_minute)?,
                per_account_per_minute: number(
                    "QUARTIER_LIMIT_PER_ACCOUNT",
                    defaults.per_account_per_minute,
                )?,
            },
            database_url,
            data_dir,
            web_dir: PathBuf::from(var("QUARTIER_WEB_DIR").unwrap_or_else(|| "dist".into())),
            jwt_secret,
            demo: var("QUARTIER_DEMO").is_some_and(|v| v == "1" || v == "true"),
        })
    }
}

/// SQLite URL for a file, created if missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The embedded default keeps one generated secret in the data directory, so tokens
/// survive a restart without any configuration.
fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("jwt_secret");
    if let Ok(secret) = std::fs::read_to_string(&path) {
        let secret = secret.trim().to_owned();
        if secret.len() >= 32 {
            return Ok(secret);
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
    let secret = crate::crypto::random_token(32);
    write_private(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
