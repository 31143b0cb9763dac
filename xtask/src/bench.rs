//! `cargo xtask bench <target>`: benchmarks are bench binaries (`harness = false`) that
//! print their figures; this runs one in the bench (release) profile.

use anyhow::Result;

use crate::ensure::Ensure;
use crate::postgres;
use crate::workspace::{self, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The matcher: suggestions for one request among 100,000 volunteers, and the
    /// batch proposal for 2,000 requests and 20,000 volunteers against greedy.
    Match,
    /// Survey responses through the real server at 8, 32 and 64 clients on SQLite and
    /// PostgreSQL, against a raw rusqlite group-commit loop; and reading a survey.
    Ingest,
}

impl Target {
    /// Package and bench binary.
    fn bench(self) -> (&'static str, &'static str) {
        match self {
            Target::Match => ("matcher", "match"),
            Target::Ingest => ("backend", "ingest"),
        }
    }
}

pub fn run(ws: &Workspace, target: Target) -> Result<()> {
    let (package, bench) = target.bench();
    let mut cmd = ws.cargo(["bench", "-p", package, "--bench", bench]);
    if target == Target::Ingest && std::env::var_os("QUARTIER_BENCH_PG_URL").is_none() {
        // The same cluster and role as the test-postgres lane; the bench creates and
        // drops its own database. Without PostgreSQL it still measures SQLite.
        match postgres::prepare(&mut Ensure::new(ws)) {
            Ok(url) => {
                cmd.env("QUARTIER_BENCH_PG_URL", url);
            }
            Err(e) => println!("xtask: PostgreSQL unavailable, benchmarking SQLite only: {e:#}"),
        }
    }
    workspace::run(&mut cmd)
}
