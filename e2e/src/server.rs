use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::env_path;

const READY_PREFIX: &str = "Quartier is serving at ";
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// `quartier serve` on a free port with its own SQLite database holding the demo data
/// (an organisation, three quarters, a user of every role); killed on drop.
pub struct Server {
    child: Child,
    url: String,
    data_dir: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Result<Server> {
        let data_dir = tempfile::tempdir().context("creating the server's data directory")?;
        let (child, url) = launch(data_dir.path(), "127.0.0.1:0").await?;
        Ok(Server {
            child,
            url,
            data_dir,
        })
    }

    /// Stops the server, as if the connection to it were gone: requests fail, for the
    /// page and its service worker alike.
    pub async fn stop(&mut self) -> Result<()> {
        self.child.kill().await.context("stopping the server")
    }

    /// Starts the server again on the same address with the same database.
    pub async fn restart(&mut self) -> Result<()> {
        let address = self.url.trim_start_matches("http://").to_owned();
        let (child, url) = launch(self.data_dir.path(), &address).await?;
        self.child = child;
        self.url = url;
        Ok(())
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's log (stderr) so far.
    pub fn log(&self) -> Option<String> {
        std::fs::read_to_string(self.log_path()).ok()
    }

    fn log_path(&self) -> PathBuf {
        self.data_dir.path().join("server.log")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // kill_on_drop would do it too; this also reaps the process when possible.
        let _ = self.child.start_kill();
        let _ = self.child.try_wait();
    }
}

/// Runs `quartier serve` on `bind` with its data in `data_dir`, and waits until it
/// says where it serves.
async fn launch(data_dir: &std::path::Path, bind: &str) -> Result<(Child, String)> {
    let bin = env_path("QUARTIER_BIN", "target/debug/quartier");
    let web_dir = env_path("QUARTIER_WEB_DIR", "dist");
    if !bin.is_file() {
        bail!(
            "no server binary at {} (set QUARTIER_BIN or run `cargo xtask test`)",
            bin.display()
        );
    }
    if !web_dir.join("index.html").is_file() {
        bail!(
            "no web app in {} (set QUARTIER_WEB_DIR or run `cargo xtask build-web`)",
            web_dir.display()
        );
    }
    let log_path = data_dir.join("server.log");
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .context("creating the server log")?;
    let mut cmd = Command::new(&bin);
    cmd.arg("serve")
        .env("QUARTIER_BIND", bind)
        .env("QUARTIER_DATA_DIR", data_dir)
        .env("QUARTIER_WEB_DIR", &web_dir)
        .env_remove("DATABASE_URL")
        // Demo accounts of every role (password `quartier-demo`) for the account tests.
        .env("QUARTIER_DEMO", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true);
    if std::env::var_os("RUST_LOG").is_none() {
        cmd.env("RUST_LOG", "info,sqlx=warn");
    }
    let mut child = cmd
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = child.stdout.take().context("no stdout from the server")?;
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(START_TIMEOUT, async {
        while let Some(line) = lines.next_line().await? {
            if let Some(url) = line.strip_prefix(READY_PREFIX) {
                return Ok(Some(url.trim().trim_end_matches('/').to_owned()));
            }
        }
        Ok::<_, std::io::Error>(None)
    })
    .await;
    let tail = || log_tail(&log_path);
    let url = match ready {
        Ok(Ok(Some(url))) => url,
        Ok(Ok(None)) => bail!("the server exited before it was ready:\n{}", tail()),
        Ok(Err(e)) => return Err(e).context("reading the server's stdout"),
        Err(_) => bail!(
            "the server did not report ready within {START_TIMEOUT:?}:\n{}",
            tail()
        ),
    };
    // Keep reading so that the server never blocks on a full pipe.
    let mut rest = lines.into_inner();
    tokio::spawn(async move {
        let mut sink = Vec::new();
        let _ = rest.read_to_end(&mut sink).await;
    });
    Ok((child, url))
}

fn log_tail(path: &std::path::Path) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
