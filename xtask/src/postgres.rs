//! The PostgreSQL the API tests run against: Debian's local cluster with a test role,
//! unless `QUARTIER_TEST_PG_URL` points somewhere else.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::ensure::{Ensure, is_root};
use crate::workspace::{run, which};

const ROLE: &str = "quartier_test";
/// Each API test creates its own `qt_<uuid>` database through this URL.
const LOCAL_URL: &str = "postgres://quartier_test:quartier_test@127.0.0.1:5432/postgres";

/// The URL for `QUARTIER_TEST_PG_URL`; starts the local cluster and creates the role if needed.
pub fn prepare(ensure: &mut Ensure) -> Result<String> {
    if let Ok(url) = std::env::var("QUARTIER_TEST_PG_URL") {
        println!("xtask: using QUARTIER_TEST_PG_URL from the environment");
        return Ok(url);
    }
    let version = ensure.postgres()?;
    let root = is_root()?;
    let running = Command::new("pg_ctlcluster")
        .args([&version, "main", "status"])
        .output()
        .context("running pg_ctlcluster")?
        .status
        .success();
    if !running {
        if !root {
            bail!(
                "PostgreSQL {version} is not running: start it with `sudo pg_ctlcluster {version} main start`"
            );
        }
        println!("xtask: starting PostgreSQL {version}");
        run(Command::new("pg_ctlcluster").args([&version, "main", "start"]))?;
    }
    if can_connect(LOCAL_URL) {
        return Ok(LOCAL_URL.to_owned());
    }
    let create_role = format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN \
             CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{ROLE}'; \
           ELSE \
             ALTER ROLE {ROLE} LOGIN CREATEDB PASSWORD '{ROLE}'; \
           END IF; \
         END $$;"
    );
    if !root {
        bail!(
            "cannot log in to PostgreSQL as {ROLE}; create the role with\n  \
             sudo -u postgres psql -c \"{create_role}\"\n\
             or set QUARTIER_TEST_PG_URL to a role that may create databases"
        );
    }
    println!("xtask: creating the PostgreSQL role {ROLE}");
    run(Command::new("runuser")
        .args([
            "-u",
            "postgres",
            "--",
            "psql",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
        ])
        .arg(&create_role))?;
    if !can_connect(LOCAL_URL) {
        bail!("still cannot connect to {LOCAL_URL} after creating the role (check pg_hba.conf)");
    }
    Ok(LOCAL_URL.to_owned())
}

fn can_connect(url: &str) -> bool {
    psql(url, "SELECT 1").is_ok()
}

/// Runs one SQL command through psql; errors never show the URL, which may hold a password.
fn psql(url: &str, sql: &str) -> Result<String> {
    let out = Command::new("psql")
        .args([url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdin(std::process::Stdio::null())
        .output()
        .context("running psql")?;
    if !out.status.success() {
        bail!(
            "psql `{sql}` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Drops the throwaway `qt_*` databases the API tests leave behind; returns how many.
pub fn drop_test_databases(url: &str) -> Result<usize> {
    if which("psql").is_none() {
        bail!("psql is not installed, so the qt_* test databases could not be dropped");
    }
    let list = psql(
        url,
        r"SELECT datname FROM pg_database WHERE datname LIKE 'qt\_%'",
    )?;
    let mut dropped = 0;
    for name in list.lines().map(str::trim).filter(|n| !n.is_empty()) {
        // Names come from the server, but never build SQL from anything unexpected.
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        psql(
            url,
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        )?;
        dropped += 1;
    }
    Ok(dropped)
}
