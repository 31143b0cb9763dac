//! `cargo xtask bench <target>`: benchmarks are bench binaries (`harness = false`) that
//! print their figures; this runs one in the bench (release) profile.

use anyhow::Result;

use crate::workspace::{self, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The matcher: suggestions for one request among 100,000 volunteers, and the
    /// batch proposal for 2,000 requests and 20,000 volunteers against greedy.
    Match,
}

impl Target {
    /// Package and bench binary.
    fn bench(self) -> (&'static str, &'static str) {
        match self {
            Target::Match => ("matcher", "match"),
        }
    }
}

pub fn run(ws: &Workspace, target: Target) -> Result<()> {
    let (package, bench) = target.bench();
    workspace::run(&mut ws.cargo(["bench", "-p", package, "--bench", bench]))
}
