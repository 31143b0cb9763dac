//! Browser tests for Quartier: a real server, real Chromium, axe-core on every page.
//!
//! `cargo xtask test` builds everything and sets the environment; to run the tests by
//! hand after one such run, `cargo test -p e2e` finds the same files by default.
//!
//! | variable | default |
//! | --- | --- |
//! | `QUARTIER_BIN` | `<workspace>/target/debug/quartier` |
//! | `QUARTIER_WEB_DIR` | `<workspace>/dist` |
//! | `QUARTIER_AXE_JS` | `<workspace>/.tools/node_modules/axe-core/axe.min.js` |
//! | `CHROMEDRIVER` | `chromedriver` on `PATH` |
//! | `CHROME` | whatever chromedriver finds |
//! | `QUARTIER_E2E_ARTIFACTS` | `<workspace>/target/e2e` (screenshots of failed tests) |
//!
//! A test is a closure over a [`Page`], run by [`run`]:
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! e2e::run("home_renders", e2e::PHONE, |page| async move {
//!     page.goto("/").await?;
//!     assert_eq!(page.text("page-title").await?, "Willkommen in Ihrem Quartier");
//!     Ok(())
//! })
//! .await
//! # }
//! ```

mod browser;
mod page;
mod server;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

pub use browser::{Browser, DESKTOP, PHONE, Viewport};
pub use page::{LARGE_TEXT_CHECKS, LargeText, Layout, Page};
pub use server::Server;

/// Starts a server with a fresh database and a browser session, runs `body`, and on
/// failure keeps a screenshot, the page's HTML and the server log in the artifacts
/// directory, named after the test.
pub async fn run<F, Fut>(name: &str, viewport: Viewport, body: F) -> Result<()>
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    run_with_server(name, viewport, |page, _server| body(page)).await
}

/// The server under test, for tests that stop and restart it (a lost connection).
pub type SharedServer = Arc<tokio::sync::Mutex<Server>>;

/// [`run`], giving the test the server too.
pub async fn run_with_server<F, Fut>(name: &str, viewport: Viewport, body: F) -> Result<()>
where
    F: FnOnce(Page, SharedServer) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let server = Arc::new(tokio::sync::Mutex::new(Server::start().await?));
    let url = server.lock().await.url().to_owned();
    let browser = Browser::start(viewport).await?;
    let page = Page::new(browser.driver().clone(), url, viewport);

    // A task, so that a panicking assertion is caught here and the evidence still saved.
    let outcome = tokio::spawn(body(page.clone(), server.clone())).await;
    let failed = !matches!(outcome, Ok(Ok(())));
    if failed {
        save_artifacts(name, &page, &*server.lock().await).await;
    }
    browser.quit().await;
    drop(server);
    match outcome {
        Ok(result) => result,
        Err(join_error) => match join_error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => Err(e).context("the test task was cancelled"),
        },
    }
}

async fn save_artifacts(name: &str, page: &Page, server: &Server) {
    let dir = artifacts_dir();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("e2e: cannot create {}: {e}", dir.display());
        return;
    }
    let png = dir.join(format!("{name}.png"));
    match page.driver().screenshot(&png).await {
        Ok(()) => eprintln!("e2e: screenshot of the failure: {}", png.display()),
        Err(e) => eprintln!("e2e: no screenshot: {e}"),
    }
    if let Ok(html) = page.driver().source().await {
        let _ = std::fs::write(dir.join(format!("{name}.html")), html);
    }
    if let Some(log) = server.log() {
        let _ = std::fs::write(dir.join(format!("{name}.server.log")), log);
    }
}

fn workspace_root() -> PathBuf {
    // e2e/ sits directly in the workspace root.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A path from the environment, or a default under the workspace root.
fn env_path(var: &str, default_in_workspace: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(default_in_workspace))
}

fn artifacts_dir() -> PathBuf {
    env_path("QUARTIER_E2E_ARTIFACTS", "target/e2e")
}
