use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;
use thirtyfour::prelude::*;

/// The size of the page's layout viewport, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    /// Emulates a phone: touch, device pixel ratio, mobile viewport rules.
    pub mobile: bool,
}

/// A common phone (iPhone 12–15 class): what most residents will use.
pub const PHONE: Viewport = Viewport {
    width: 390,
    height: 844,
    mobile: true,
};

/// An office laptop: what neighbourhood managers use.
pub const DESKTOP: Viewport = Viewport {
    width: 1280,
    height: 800,
    mobile: false,
};

/// Flags that let Chromium run headless as root in a container, quietly.
const CHROME_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // Our residents' browsers speak German; the app follows the browser's language.
    "--lang=de-DE",
];

const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// A headless Chromium session with its own chromedriver and a fresh profile.
///
/// One chromedriver per session keeps tests independent and leaves no process behind:
/// a driver shared through a `static` would never be dropped, so never stopped.
pub struct Browser {
    driver: WebDriver,
    chromedriver: Child,
    chromedriver_port: u16,
    quit: bool,
    // Removed after the browser is gone, hence declared (and dropped) last.
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start(viewport: Viewport) -> Result<Browser> {
        let profile = tempfile::tempdir().context("creating a browser profile directory")?;
        let (mut chromedriver, port) = start_chromedriver().await?;

        let mut caps = DesiredCapabilities::chrome();
        if let Some(chrome) = std::env::var_os("CHROME") {
            caps.set_binary(&chrome.to_string_lossy())?;
        }
        for arg in CHROME_ARGS {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))?;
        // Headless Chromium ignores --lang for navigator.language unless this is set too.
        caps.add_experimental_option("prefs", json!({ "intl.accept_languages": "de-DE,de" }))?;
        if viewport.mobile {
            caps.add_experimental_option(
                "mobileEmulation",
                json!({ "deviceMetrics": {
                    "width": viewport.width,
                    "height": viewport.height,
                    "pixelRatio": 2.0,
                    "mobile": true,
                    "touch": true,
                } }),
            )?;
        } else {
            caps.add_arg(&format!(
                "--window-size={},{}",
                viewport.width, viewport.height
            ))?;
        }
        let driver = match WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await {
            Ok(driver) => driver,
            Err(e) => {
                let _ = chromedriver.kill();
                let _ = chromedriver.wait();
                return Err(e).context("starting a Chromium session");
            }
        };
        Ok(Browser {
            driver,
            chromedriver,
            chromedriver_port: port,
            quit: false,
            _profile: profile,
        })
    }

    pub fn driver(&self) -> &WebDriver {
        &self.driver
    }

    /// Ends the session: Chromium exits, then chromedriver is stopped.
    pub async fn quit(mut self) {
        if let Err(e) = self.driver.clone().quit().await {
            eprintln!("e2e: closing the browser session failed: {e}");
        }
        self.quit = true;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.quit {
            // Not quit (a failure on the way): end the session with a plain blocking request.
            // thirtyfour's own fallback can block for minutes, and killing chromedriver
            // alone would leave Chromium running.
            delete_session(
                self.chromedriver_port,
                &self.driver.session_id().to_string(),
            );
            let _ = self.driver.clone().leak();
        }
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// `DELETE /session/{id}` over a bare socket, with timeouts, from any context.
fn delete_session(port: u16, session_id: &str) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(15)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{session_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Connection: close\r\nContent-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        // chromedriver answers once Chromium has exited; the first bytes are enough.
        let mut response = [0u8; 512];
        let _ = stream.read(&mut response);
    }
}

/// Starts chromedriver on a free port and waits until it accepts sessions.
async fn start_chromedriver() -> Result<(Child, u16)> {
    let bin = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("chromedriver"));
    let client = reqwest::Client::new();
    // The port is free when asked for but could be taken before chromedriver binds it;
    // a second try covers that race.
    let mut last_error = None;
    for _ in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("finding a free port")?
            .port();
        let mut child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {} (set CHROMEDRIVER)", bin.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait()? {
                last_error = Some(anyhow::anyhow!("chromedriver exited: {status}"));
                break;
            }
            if let Ok(response) = client.get(format!("{url}/status")).send().await
                && let Ok(body) = response.json::<serde_json::Value>().await
                && body["value"]["ready"].as_bool() == Some(true)
            {
                return Ok((child, port));
            }
            if started.elapsed() > DRIVER_START_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                bail!("chromedriver did not answer on {url} within {DRIVER_START_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Err(last_error.unwrap_or_else(|| anyhow::anyhow!("chromedriver did not start")))
}
