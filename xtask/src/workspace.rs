//! Where things are, and how xtask runs other programs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The Cargo workspace xtask belongs to.
pub struct Workspace {
    pub root: PathBuf,
    /// Cargo's target directory (honours `CARGO_TARGET_DIR` and `.cargo/config.toml`).
    pub target_dir: PathBuf,
}

impl Workspace {
    pub fn locate() -> Result<Workspace> {
        // `cargo run` sets the manifest directory at run time too. Prefer it: builds in a
        // shared target directory are reused across clones, and the compile-time path
        // may name a clone that is gone.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
        let root = manifest_dir
            .parent()
            .context("xtask's manifest directory has no parent")?
            .to_path_buf();
        let out = Command::new(cargo())
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(&root)
            .stderr(Stdio::inherit())
            .output()
            .context("running `cargo metadata`")?;
        if !out.status.success() {
            bail!("`cargo metadata` failed ({})", out.status);
        }
        let meta: serde_json::Value =
            serde_json::from_slice(&out.stdout).context("parsing `cargo metadata` output")?;
        let target_dir = meta["target_directory"]
            .as_str()
            .context("`cargo metadata` reported no target_directory")?
            .into();
        Ok(Workspace { root, target_dir })
    }

    /// `cargo <args>` run in the workspace root.
    pub fn cargo<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(cargo());
        cmd.args(args).current_dir(&self.root);
        cmd
    }

    pub fn dist_dir(&self) -> PathBuf {
        self.root.join("dist")
    }

    pub fn tools_dir(&self) -> PathBuf {
        self.root.join(".tools")
    }

    /// The server binary of a debug build (`cargo build -p backend --bin quartier`).
    pub fn quartier_bin(&self) -> PathBuf {
        self.target_dir.join("debug").join("quartier")
    }
}

/// The cargo that runs us, so that `+toolchain` overrides carry over.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Shows a command the way a reader could paste it into a shell.
pub fn describe(cmd: &Command) -> String {
    // `$CARGO` is a long toolchain path; "cargo" says the same to a reader.
    let program = Path::new(cmd.get_program());
    let program = if program.file_name().is_some_and(|n| n == "cargo") {
        "cargo".into()
    } else {
        program.to_string_lossy()
    };
    let mut parts = vec![program.into_owned()];
    parts.extend(cmd.get_args().map(|a| {
        let a = a.to_string_lossy();
        if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            format!("'{}'", a.replace('\'', r"'\''"))
        } else {
            a.into_owned()
        }
    }));
    parts.join(" ")
}

/// Runs a command with inherited stdio; fails unless it exits successfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs a command quietly and returns its stdout; fails unless it exits successfully.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).with_context(|| format!("`{}` printed non-UTF-8", describe(cmd)))
}

/// Finds an executable on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Children log at `info` (and keep sqlx quiet) unless the caller chose otherwise.
pub fn default_rust_log(cmd: &mut Command) {
    if std::env::var_os("RUST_LOG").is_none() {
        cmd.env("RUST_LOG", "info,sqlx=warn");
    }
}
