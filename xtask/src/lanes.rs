//! `cargo xtask test`: every check CI runs, as independent lanes with one summary.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::ensure::Ensure;
use crate::workspace::{Workspace, default_rust_log, output, run};
use crate::{api_fuzz, postgres, web};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Lane {
    /// cargo fmt --check
    Fmt,
    /// cargo clippy on every crate and target, warnings denied
    Clippy,
    /// unit and API tests of backend, shared, migrations, matcher and xtask on SQLite;
    /// the OpenAPI document linted and the served API fuzzed against it
    Test,
    /// the web app's native unit tests
    TestFrontend,
    /// the backend's API tests on PostgreSQL
    TestPostgres,
    /// the wasm build of the web app into dist/
    BuildWeb,
    /// browser tests: Chromium against the real server
    E2e,
}

impl Lane {
    const ALL: [Lane; 7] = [
        Lane::Fmt,
        Lane::Clippy,
        Lane::Test,
        Lane::TestFrontend,
        Lane::TestPostgres,
        Lane::BuildWeb,
        Lane::E2e,
    ];

    fn name(self) -> &'static str {
        match self {
            Lane::Fmt => "fmt",
            Lane::Clippy => "clippy",
            Lane::Test => "test",
            Lane::TestFrontend => "test-frontend",
            Lane::TestPostgres => "test-postgres",
            Lane::BuildWeb => "build-web",
            Lane::E2e => "e2e",
        }
    }
}

enum Outcome {
    Passed,
    Failed(anyhow::Error),
    CouldNotRun(anyhow::Error),
}

/// Why a lane stopped: its check failed, or something it needs was not there.
enum LaneError {
    Failed(anyhow::Error),
    CouldNotRun(anyhow::Error),
}

impl From<anyhow::Error> for LaneError {
    fn from(e: anyhow::Error) -> Self {
        LaneError::Failed(e)
    }
}

trait Prerequisite<T> {
    /// Marks an error as "could not run" rather than "failed".
    fn prerequisite(self) -> Result<T, LaneError>;
}

impl<T> Prerequisite<T> for Result<T> {
    fn prerequisite(self) -> Result<T, LaneError> {
        self.map_err(LaneError::CouldNotRun)
    }
}

/// Runs the chosen lanes (all when `only` is empty); true when every lane passed.
pub fn test(ws: &Workspace, only: &[Lane]) -> Result<bool> {
    let mut lanes: Vec<Lane> = if only.is_empty() {
        Lane::ALL.to_vec()
    } else {
        only.to_vec()
    };
    // The browser tests need the web app they test.
    if lanes.contains(&Lane::E2e) && !lanes.contains(&Lane::BuildWeb) {
        lanes.push(Lane::BuildWeb);
    }
    lanes.sort();
    lanes.dedup();

    let mut ensure = Ensure::new(ws);
    let mut results: Vec<(Lane, Outcome, f64)> = Vec::new();
    for lane in lanes {
        println!("\n==> {}", lane.name());
        let started = Instant::now();
        let web_failed = results
            .iter()
            .any(|(l, o, _)| *l == Lane::BuildWeb && !matches!(o, Outcome::Passed));
        let outcome = if lane == Lane::E2e && web_failed {
            Outcome::CouldNotRun(anyhow::anyhow!("build-web did not pass"))
        } else {
            match run_lane(ws, &mut ensure, lane) {
                Ok(()) => Outcome::Passed,
                Err(LaneError::Failed(e)) => Outcome::Failed(e),
                Err(LaneError::CouldNotRun(e)) => Outcome::CouldNotRun(e),
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        match &outcome {
            Outcome::Passed => println!("==> {} passed ({seconds:.0} s)", lane.name()),
            Outcome::Failed(e) => println!("==> {} FAILED ({seconds:.0} s): {e:#}", lane.name()),
            Outcome::CouldNotRun(e) => println!("==> {} COULD NOT RUN: {e:#}", lane.name()),
        }
        results.push((lane, outcome, seconds));
    }

    println!("\n{:<15} {:<14} {:>8}", "lane", "result", "seconds");
    for (lane, outcome, seconds) in &results {
        let result = match outcome {
            Outcome::Passed => "passed",
            Outcome::Failed(_) => "FAILED",
            Outcome::CouldNotRun(_) => "COULD NOT RUN",
        };
        println!("{:<15} {:<14} {:>8.1}", lane.name(), result, seconds);
    }
    for (lane, outcome, _) in &results {
        if let Outcome::Failed(e) | Outcome::CouldNotRun(e) = outcome {
            println!("  {}: {e:#}", lane.name());
        }
    }
    let passed = results
        .iter()
        .filter(|(_, o, _)| matches!(o, Outcome::Passed))
        .count();
    let failed = results.len() - passed;
    println!("xtask: {passed} passed, {failed} failed");
    Ok(failed == 0)
}

fn run_lane(ws: &Workspace, ensure: &mut Ensure, lane: Lane) -> Result<(), LaneError> {
    match lane {
        Lane::Fmt => {
            ensure.component("rustfmt", "fmt").prerequisite()?;
            run(&mut ws.cargo(["fmt", "--all", "--", "--check"]))?;
        }
        Lane::Clippy => {
            ensure.component("clippy", "clippy").prerequisite()?;
            run(&mut ws.cargo([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))?;
        }
        Lane::Test => {
            let mut cmd = ws.cargo([
                "test",
                "--no-fail-fast",
                "-p",
                "backend",
                "-p",
                "shared",
                "-p",
                "migrations",
                "-p",
                "matcher",
                "-p",
                "xtask",
            ]);
            default_rust_log(&mut cmd);
            run(&mut cmd)?;
            lint_openapi(ws, ensure)?;
            let schemathesis = ensure.schemathesis().prerequisite()?;
            api_fuzz::fuzz_api(ws, &schemathesis)?;
        }
        Lane::TestFrontend => run(&mut ws.cargo(["test", "--no-fail-fast", "-p", "frontend"]))?,
        Lane::TestPostgres => test_postgres(ws, ensure)?,
        Lane::BuildWeb => {
            ensure.wasm_target().prerequisite()?;
            let tools = ensure.tools().prerequisite()?;
            web::build_web(ws, &tools)?.enforce_budgets()?;
        }
        Lane::E2e => e2e(ws, ensure)?,
    }
    Ok(())
}

/// The OpenAPI document the server serves, linted with Redocly's recommended rules:
/// any error fails the lane (the API tests check that the server keeps the document).
fn lint_openapi(ws: &Workspace, ensure: &mut Ensure) -> Result<(), LaneError> {
    let redocly = ensure.redocly().prerequisite()?;
    println!("xtask: writing the OpenAPI document (`quartier openapi`)");
    let document = output(&mut ws.cargo([
        "run", "-q", "-p", "backend", "--bin", "quartier", "--", "openapi",
    ]))?;
    let file = ws.target_dir.join("openapi.json");
    std::fs::write(&file, document).with_context(|| format!("writing {}", file.display()))?;
    let mut lint = Command::new(redocly);
    lint.args(["lint", "--extends", "recommended", "--format", "stylish"])
        .arg(&file);
    run(&mut lint)?;
    Ok(())
}

fn test_postgres(ws: &Workspace, ensure: &mut Ensure) -> Result<(), LaneError> {
    let url = postgres::prepare(ensure).prerequisite()?;
    // A run that died earlier may have left its databases behind.
    clean_databases(&url);
    let mut cmd = ws.cargo(["test", "--no-fail-fast", "-p", "backend", "--test", "api"]);
    cmd.env("QUARTIER_TEST_PG_URL", &url);
    default_rust_log(&mut cmd);
    let result = run(&mut cmd);
    clean_databases(&url);
    Ok(result?)
}

fn clean_databases(url: &str) {
    match postgres::drop_test_databases(url) {
        Ok(0) => {}
        Ok(n) => println!("xtask: dropped {n} qt_* test database(s)"),
        Err(e) => println!("xtask: warning: {e:#}"),
    }
}

fn e2e(ws: &Workspace, ensure: &mut Ensure) -> Result<(), LaneError> {
    let browser = ensure.browser().prerequisite()?;
    let tools = ensure.tools().prerequisite()?;
    run(&mut ws.cargo(["build", "-p", "backend", "--bin", "quartier"]))?;
    let artifacts = ws.target_dir.join("e2e");
    // Only this run's screenshots should be there to look at.
    if artifacts.exists() {
        std::fs::remove_dir_all(&artifacts)
            .with_context(|| format!("removing {}", artifacts.display()))?;
    }
    std::fs::create_dir_all(&artifacts)
        .with_context(|| format!("creating {}", artifacts.display()))?;
    let mut cmd = ws.cargo([
        "test",
        "--no-fail-fast",
        "-p",
        "e2e",
        "--",
        "--test-threads=2",
    ]);
    cmd.env("QUARTIER_BIN", ws.quartier_bin())
        .env("QUARTIER_WEB_DIR", ws.dist_dir())
        .env("QUARTIER_AXE_JS", &tools.axe_js)
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROME", &browser.chrome)
        .env("QUARTIER_E2E_ARTIFACTS", &artifacts);
    default_rust_log(&mut cmd);
    let result = run(&mut cmd);
    if result.is_err() {
        print_artifacts(&artifacts);
    }
    Ok(result?)
}

fn print_artifacts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let files: Vec<String> = entries
        .flatten()
        .map(|e| e.path().display().to_string())
        .collect();
    if !files.is_empty() {
        println!("xtask: browser test artifacts (screenshots, page HTML):");
        for f in files {
            println!("  {f}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_names_match_the_cli_values() {
        use clap::ValueEnum;
        for lane in Lane::ALL {
            let value = lane.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(value.as_deref(), Some(lane.name()));
        }
    }

    #[test]
    fn lanes_run_in_dependency_order() {
        // e2e uses what build-web produced, so build-web must sort before it.
        assert!(Lane::BuildWeb < Lane::E2e);
    }
}
