//! The test lane's fuzzing step: Schemathesis against the real server and the OpenAPI
//! document it serves, so the document stays true (every status and media type the
//! server sends) and the server keeps refusing what the document forbids.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::workspace::{Workspace, describe, run};

const READY_PREFIX: &str = "Quartier is serving at ";
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Fixed, so that CI sends the same cases every time; change it to explore.
const SEED: &str = "1";
/// Demo accounts (`QUARTIER_DEMO=1`, README) the fuzzer acts as, after a run without a token.
const ROLES: [&str; 3] = ["resident", "manager", "admin"];
const DEMO_PASSWORD: &str = "quartier-demo";

/// Starts `quartier serve` with demo data on a free loopback port, then runs
/// Schemathesis against its document: anonymously, then as each role in `ROLES`.
/// Any failure it reports fails the step; the server is stopped whatever happens.
pub fn fuzz_api(ws: &Workspace, schemathesis: &Path) -> Result<()> {
    let started = Instant::now();
    run(&mut ws.cargo(["build", "-q", "-p", "backend", "--bin", "quartier"]))?;
    let scratch = ws.target_dir.join("api-fuzz");
    // A fresh database and no Schemathesis files from a previous run.
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .with_context(|| format!("removing {}", scratch.display()))?;
    }
    let data_dir = scratch.join("data");
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let server = Server::start(&ws.quartier_bin(), &data_dir)?;
    let result = fuzz(ws, schemathesis, &server, &scratch);
    let log = server.log_path.clone();
    drop(server);
    match &result {
        Ok(()) => println!(
            "xtask: the API fuzzing passed ({:.0} s)",
            started.elapsed().as_secs_f64()
        ),
        Err(_) => println!("xtask: the server's log: {}", log.display()),
    }
    result
}

fn fuzz(ws: &Workspace, schemathesis: &Path, server: &Server, scratch: &Path) -> Result<()> {
    // Every token first: fuzzing the sign-in uses up the address's attempts (429).
    let mut tokens = Vec::new();
    for role in ROLES {
        let email = format!("{role}@demo.quartier.example");
        tokens.push((role, login(&server.address, &email)?));
    }
    let document = format!("{}/api/v1/openapi.json", server.url);
    let config = ws.root.join("xtask/schemathesis.toml");
    let mut runs: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
    runs.extend(tokens.into_iter().map(|(role, token)| (role, Some(token))));
    let mut failed = Vec::new();
    for (who, token) in runs {
        println!("xtask: fuzzing the API as {who}");
        let mut cmd = Command::new(schemathesis);
        cmd.arg("--config-file")
            .arg(&config)
            .args(["run", "--seed", SEED, "--no-color"])
            .arg(&document)
            // Its example database and cache would otherwise land in the workspace.
            .current_dir(scratch);
        // Shown without the token, which `run` would print.
        eprintln!(
            "$ {}{}",
            describe(&cmd),
            if token.is_some() {
                " -H 'Authorization: Bearer …'"
            } else {
                ""
            }
        );
        if let Some(token) = &token {
            cmd.arg("-H").arg(format!("Authorization: Bearer {token}"));
        }
        let status = cmd
            .status()
            .with_context(|| format!("could not start {}", schemathesis.display()))?;
        if !status.success() {
            failed.push(who);
        }
    }
    if !failed.is_empty() {
        bail!(
            "schemathesis reported failures (as {}); see above",
            failed.join(", ")
        );
    }
    Ok(())
}

/// Signs in through the API and returns the access token.
fn login(address: &str, email: &str) -> Result<String> {
    let body = serde_json::json!({ "email": email, "password": DEMO_PASSWORD }).to_string();
    let mut stream =
        TcpStream::connect(address).with_context(|| format!("connecting to {address}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .context("reading the sign-in response")?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .context("a sign-in response without a body")?;
    if !head.starts_with("HTTP/1.1 200") {
        bail!(
            "signing in as {email} failed: {}",
            head.lines().next().unwrap_or_default()
        );
    }
    let session: serde_json::Value =
        serde_json::from_str(body).context("parsing the sign-in response")?;
    session["access_token"]
        .as_str()
        .map(str::to_owned)
        .context("no access_token in the sign-in response")
}

/// `quartier serve` with demo data in `data_dir`; killed when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    url: String,
    /// `127.0.0.1:PORT`
    address: String,
    log_path: PathBuf,
}

impl Server {
    fn start(bin: &Path, data_dir: &Path) -> Result<Server> {
        let log_path = data_dir.join("server.log");
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("creating {}", log_path.display()))?;
        let mut cmd = Command::new(bin);
        cmd.arg("serve")
            .env("QUARTIER_BIND", "127.0.0.1:0")
            .env("QUARTIER_DATA_DIR", data_dir)
            .env_remove("DATABASE_URL")
            // Demo accounts of every role, password `quartier-demo`.
            .env("QUARTIER_DEMO", "1")
            // Thousands of requests: the log keeps warnings and errors only.
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no stdout from the server")?;
        let mut server = Server {
            child,
            url: String::new(),
            address: String::new(),
            log_path,
        };
        // The server prints one line; keep reading after it so that it never blocks.
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix(READY_PREFIX) {
                    let _ = ready_tx.send(url.trim().trim_end_matches('/').to_owned());
                    break;
                }
            }
            lines.for_each(drop);
        });
        let url = match ready_rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(_) => bail!(
                "the server exited or did not report ready within {START_TIMEOUT:?}; its log: {}",
                server.log_path.display()
            ),
        };
        server.address = url.trim_start_matches("http://").to_owned();
        server.url = url;
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
