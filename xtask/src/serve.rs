//! `cargo xtask run`: the web app and the server, as a developer wants them locally.
//!
//! The server is a debug build: it compiles in half the time of a release build and is
//! plenty fast for one person clicking through the app. The web app is always the
//! size-optimised release build that production serves.

use std::process::Stdio;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::signal::unix::{SignalKind, signal};

use crate::ensure::Ensure;
use crate::web;
use crate::workspace::{Workspace, run};

const READY_PREFIX: &str = "Quartier is serving at ";

pub fn run_server(ws: &Workspace, demo: bool) -> Result<()> {
    let mut ensure = Ensure::new(ws);
    ensure.wasm_target()?;
    let tools = ensure.tools()?;
    // Over budget is for CI to refuse; running the app locally still works.
    if let Err(e) = web::build_web(ws, &tools)?.enforce_budgets() {
        eprintln!("xtask: warning: {e:#}");
    }
    run(&mut ws.cargo(["build", "-p", "backend", "--bin", "quartier"]))?;

    let mut cmd = tokio::process::Command::new(ws.quartier_bin());
    cmd.arg("serve")
        .current_dir(&ws.root)
        .env("QUARTIER_WEB_DIR", ws.dist_dir())
        .env(
            "QUARTIER_DATA_DIR",
            data_dir(
                std::env::var_os("QUARTIER_DATA_DIR"),
                &std::env::current_dir().context("reading the current directory")?,
                &ws.root,
            ),
        )
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    if demo {
        cmd.env("QUARTIER_DEMO", "1");
    }
    if std::env::var_os("RUST_LOG").is_none() {
        cmd.env("RUST_LOG", "info,sqlx=warn");
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting tokio")?
        .block_on(supervise(cmd))
}

/// The server's data directory: `QUARTIER_DATA_DIR` as the README says (relative to
/// where `cargo xtask run` was started, since the server runs in the workspace root),
/// else `data/` in the workspace.
fn data_dir(
    configured: Option<std::ffi::OsString>,
    cwd: &std::path::Path,
    root: &std::path::Path,
) -> std::path::PathBuf {
    match configured.filter(|v| !v.is_empty()) {
        Some(dir) => cwd.join(dir),
        None => root.join("data"),
    }
}

/// Runs the server until it exits; Ctrl-C reaches it from the terminal, SIGTERM is forwarded.
async fn supervise(mut cmd: tokio::process::Command) -> Result<()> {
    // Installed before the spawn so that Ctrl-C never kills xtask ahead of the server.
    let mut interrupt = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    let mut child = cmd.spawn().context("starting quartier serve")?;
    let pid = child.id().context("the server exited at once")?;
    let stdout = child.stdout.take().context("no stdout from the server")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut stdout_open = true;
    let mut interrupts = 0;
    loop {
        tokio::select! {
            line = lines.next_line(), if stdout_open => match line? {
                Some(line) => match line.strip_prefix(READY_PREFIX) {
                    Some(url) => {
                        println!("\n    Quartier is running: {url}\n    Stop it with Ctrl-C.\n");
                    }
                    None => println!("{line}"),
                },
                None => stdout_open = false,
            },
            status = child.wait() => {
                let status = status.context("waiting for the server")?;
                // 130 / SIGINT after Ctrl-C is a normal end.
                if status.success() || interrupts > 0 {
                    return Ok(());
                }
                bail!("the server stopped: {status}");
            }
            _ = interrupt.recv() => {
                // The terminal sent SIGINT to the server as well; wait for its graceful stop.
                interrupts += 1;
                if interrupts >= 3 {
                    eprintln!("xtask: killing the server");
                    child.start_kill().context("killing the server")?;
                } else {
                    eprintln!("xtask: waiting for the server to stop (Ctrl-C {} more times to kill it)", 3 - interrupts);
                }
            }
            _ = terminate.recv() => {
                interrupts += 1;
                let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).context("pid out of range")?);
                nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).context("forwarding SIGTERM")?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::data_dir;
    use std::path::Path;

    #[test]
    fn the_data_directory_comes_from_the_environment_when_set() {
        let (cwd, root) = (Path::new("/home/me/elsewhere"), Path::new("/src/quartier"));
        assert_eq!(
            data_dir(Some("/var/lib/quartier".into()), cwd, root),
            Path::new("/var/lib/quartier")
        );
        assert_eq!(
            data_dir(Some("mine".into()), cwd, root),
            Path::new("/home/me/elsewhere/mine")
        );
        assert_eq!(data_dir(None, cwd, root), Path::new("/src/quartier/data"));
        assert_eq!(
            data_dir(Some("".into()), cwd, root),
            Path::new("/src/quartier/data")
        );
    }
}
