//! `cargo xtask`: build, run and test Quartier with nothing but Rust installed.
//!
//! See `cargo xtask --help`. Everything a fresh Debian machine lacks (the wasm target,
//! wasm-opt, axe-core, Chromium, PostgreSQL) is installed on first use.

mod api_fuzz;
mod bench;
mod budgets;
mod ensure;
mod lanes;
mod postgres;
mod serve;
mod web;
mod workspace;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::workspace::Workspace;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Build, run and test Quartier"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build the web app and the server, then serve them locally (with demo data).
    Run {
        /// Seed demo data into an empty database (the default).
        #[arg(long, conflicts_with = "no_demo")]
        demo: bool,
        /// Start with an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Run every check CI runs and print one summary.
    Test {
        /// Run only these lanes (comma-separated or repeated).
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<lanes::Lane>,
    },
    /// Build the web app into dist/ (wasm, hashed assets, .br and .gz files).
    BuildWeb,
    /// Run a benchmark in release mode and print its figures.
    Bench {
        #[arg(value_enum)]
        target: bench::Target,
    },
    /// Install what is missing: the wasm target and npm tools; with --test also
    /// Chromium, chromedriver and PostgreSQL.
    Ensure {
        #[arg(long)]
        test: bool,
    },
}

fn main() -> ExitCode {
    match try_main() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<bool> {
    let cli = Cli::parse();
    let ws = Workspace::locate()?;
    match cli.command {
        Cmd::Run { demo: _, no_demo } => serve::run_server(&ws, !no_demo)?,
        Cmd::Test { only } => return lanes::test(&ws, &only),
        Cmd::BuildWeb => {
            let mut ensure = ensure::Ensure::new(&ws);
            ensure.wasm_target()?;
            let tools = ensure.tools()?;
            web::build_web(&ws, &tools)?.enforce_budgets()?;
        }
        Cmd::Bench { target } => bench::run(&ws, target)?,
        Cmd::Ensure { test } => {
            let mut ensure = ensure::Ensure::new(&ws);
            ensure.wasm_target()?;
            ensure.tools()?;
            if test {
                ensure.browser()?;
                ensure.postgres()?;
            }
            println!("xtask: everything is installed");
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
