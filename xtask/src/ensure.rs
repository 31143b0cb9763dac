//! Installs what the build and the tests need and a fresh machine lacks.
//!
//! Rust targets come from rustup, JS tools from npm into `<root>/.tools`, Python tools
//! from PyPI into their own venv there, and system packages (Chromium, chromedriver,
//! PostgreSQL, Node, Python) from apt — only when running as root; otherwise the error
//! says what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::{Workspace, output, run, which};

/// binaryen's wasm-opt; Debian's binaryen 108 produces a wasm Chromium cannot run.
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const AXE_CORE_VERSION: &str = "4.14.1";
/// Redocly's CLI, which lints the served OpenAPI document (its recommended rules).
pub const REDOCLY_VERSION: &str = "2.77.0";
/// Schemathesis, which fuzzes the served API against its OpenAPI document. Its CLI
/// and configuration change between minor versions: `xtask/schemathesis.toml` is
/// written for this one.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths of the npm tools in `.tools`.
pub struct Tools {
    /// binaryen's wasm-opt, a node script.
    pub wasm_opt: PathBuf,
    pub axe_js: PathBuf,
}

pub struct Browser {
    pub chrome: PathBuf,
    pub chromedriver: PathBuf,
}

/// Remembers what was already checked so that each check and `apt-get update` runs once.
pub struct Ensure<'a> {
    ws: &'a Workspace,
    apt_updated: bool,
    wasm_target_ok: bool,
    tools: Option<(PathBuf, PathBuf)>,
}

impl<'a> Ensure<'a> {
    pub fn new(ws: &'a Workspace) -> Ensure<'a> {
        Ensure {
            ws,
            apt_updated: false,
            wasm_target_ok: false,
            tools: None,
        }
    }

    /// The wasm target, and the standard library's source, which the web build compiles
    /// along with the app (`web.rs`, `-Zbuild-std`).
    pub fn wasm_target(&mut self) -> Result<()> {
        if self.wasm_target_ok {
            return Ok(());
        }
        let sysroot = output(Command::new("rustc").args(["--print", "sysroot"]))?;
        let rustlib = Path::new(sysroot.trim()).join("lib/rustlib");
        let has_source = || rustlib.join("src/rust/library/std").is_dir();
        if which("rustup").is_some() {
            let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
            if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
                println!("xtask: installing the Rust target {WASM_TARGET}");
                run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
            }
            if !has_source() {
                println!("xtask: installing the Rust component rust-src");
                run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
            }
        } else {
            // A distribution's Rust has no rustup; its wasm target and the standard
            // library's source are separate packages.
            if !rustlib.join(WASM_TARGET).is_dir() {
                bail!(
                    "the Rust target {WASM_TARGET} is missing and there is no rustup to add it; \
                     install it (e.g. `rustup target add {WASM_TARGET}`)"
                );
            }
            if !has_source() {
                bail!(
                    "the standard library's source is missing and there is no rustup to add \
                     it; install it (e.g. `rustup component add rust-src`, or Debian's \
                     `rust-src`)"
                );
            }
        }
        self.wasm_target_ok = true;
        Ok(())
    }

    /// A rustup component such as `rustfmt` or `clippy` (absent from rustup's minimal profile).
    pub fn component(&mut self, component: &str, cargo_subcommand: &str) -> Result<()> {
        let works = self
            .ws
            .cargo([cargo_subcommand, "--version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if works {
            return Ok(());
        }
        if which("rustup").is_none() {
            bail!("`cargo {cargo_subcommand}` is missing: install the Rust component {component}");
        }
        println!("xtask: installing the Rust component {component}");
        run(Command::new("rustup").args(["component", "add", component]))
    }

    /// binaryen and axe-core at the pinned versions in `<root>/.tools`.
    pub fn tools(&mut self) -> Result<Tools> {
        if let Some((wasm_opt, axe_js)) = &self.tools {
            return Ok(Tools {
                wasm_opt: wasm_opt.clone(),
                axe_js: axe_js.clone(),
            });
        }
        let dir = self.ws.tools_dir();
        let modules = dir.join("node_modules");
        let wanted = [
            ("binaryen", BINARYEN_VERSION),
            ("axe-core", AXE_CORE_VERSION),
        ];
        let missing: Vec<String> = wanted
            .iter()
            .filter(|(name, version)| {
                installed_npm_version(&modules, name).as_deref() != Some(version)
            })
            .map(|(name, version)| format!("{name}@{version}"))
            .collect();
        if which("node").is_none() || which("npm").is_none() {
            self.apt(
                &["nodejs", "npm"],
                "Node.js and npm (to run wasm-opt and fetch axe-core)",
            )?;
        }
        if !missing.is_empty() {
            println!(
                "xtask: installing {} into {}",
                missing.join(", "),
                dir.display()
            );
            npm_install(
                &dir,
                wanted
                    .iter()
                    .map(|(name, version)| format!("{name}@{version}")),
            )?;
        }
        let wasm_opt = modules.join("binaryen/bin/wasm-opt");
        let axe_js = modules.join("axe-core/axe.min.js");
        for path in [&wasm_opt, &axe_js] {
            if !path.is_file() {
                bail!("{} is missing after npm install", path.display());
            }
        }
        self.tools = Some((wasm_opt.clone(), axe_js.clone()));
        Ok(Tools { wasm_opt, axe_js })
    }

    /// Redocly's CLI at the pinned version in `<root>/.tools/redocly` (apart from the
    /// web tools: only the test lane needs it). Returns its command.
    pub fn redocly(&mut self) -> Result<PathBuf> {
        let dir = self.ws.tools_dir().join("redocly");
        let modules = dir.join("node_modules");
        if which("node").is_none() || which("npm").is_none() {
            self.apt(
                &["nodejs", "npm"],
                "Node.js and npm (to lint the OpenAPI document)",
            )?;
        }
        if installed_npm_version(&modules, "@redocly/cli").as_deref() != Some(REDOCLY_VERSION) {
            println!(
                "xtask: installing @redocly/cli@{REDOCLY_VERSION} into {}",
                dir.display()
            );
            npm_install(&dir, [format!("@redocly/cli@{REDOCLY_VERSION}")])?;
        }
        let cli = modules.join(".bin/redocly");
        if !cli.exists() {
            bail!("{} is missing after npm install", cli.display());
        }
        Ok(cli)
    }

    /// Schemathesis at the pinned version in a venv of its own, `<root>/.tools/schemathesis`
    /// (only the test lane needs it). Returns its command.
    pub fn schemathesis(&mut self) -> Result<PathBuf> {
        let venv = self.ws.tools_dir().join("schemathesis");
        let cli = venv.join("bin/schemathesis");
        let installed = Command::new(&cli)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        // It prints `schemathesis, version 4.32.5`.
        if installed
            .as_deref()
            .is_some_and(|v| v.trim().ends_with(&format!(" {SCHEMATHESIS_VERSION}")))
        {
            return Ok(cli);
        }
        if which("python3").is_none() {
            self.apt(
                &["python3", "python3-venv"],
                "Python 3 (to fuzz the API with schemathesis)",
            )?;
        }
        println!(
            "xtask: installing schemathesis=={SCHEMATHESIS_VERSION} into {}",
            venv.display()
        );
        // A venv of another version (or a broken one) is made anew rather than upgraded.
        if venv.exists() {
            std::fs::remove_dir_all(&venv)
                .with_context(|| format!("removing {}", venv.display()))?;
        }
        if run(Command::new("python3").arg("-m").arg("venv").arg(&venv)).is_err() {
            // Debian's Python has venv in a package of its own.
            self.apt(&["python3-venv"], "Python's venv module")?;
            run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        }
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        ]))?;
        if !cli.exists() {
            bail!("{} is missing after pip install", cli.display());
        }
        Ok(cli)
    }

    /// Chromium and a matching chromedriver (`CHROME` / `CHROMEDRIVER` override the search).
    pub fn browser(&mut self) -> Result<Browser> {
        let find = |var: &str, names: &[&str]| -> Option<PathBuf> {
            match std::env::var_os(var) {
                Some(path) => Some(PathBuf::from(path)),
                None => names.iter().find_map(|n| which(n)),
            }
        };
        let chrome_names = ["chromium", "chromium-browser", "google-chrome"];
        let driver_names = ["chromedriver"];
        let mut chrome = find("CHROME", &chrome_names);
        let mut chromedriver = find("CHROMEDRIVER", &driver_names);
        if chrome.is_none() || chromedriver.is_none() {
            // A font, too: with --no-install-recommends a fresh machine may have none,
            // and pages would render (and be screenshotted) without text.
            self.apt(
                &["chromium", "chromium-driver", "fonts-dejavu-core"],
                "Chromium and chromedriver",
            )?;
            chrome = find("CHROME", &chrome_names);
            chromedriver = find("CHROMEDRIVER", &driver_names);
        }
        Ok(Browser {
            chrome: chrome.context("no Chromium found after installing it")?,
            chromedriver: chromedriver.context("no chromedriver found after installing it")?,
        })
    }

    /// Debian's PostgreSQL server; returns its major version (the `main` cluster's).
    pub fn postgres(&mut self) -> Result<String> {
        if let Some(version) = debian_pg_version() {
            return Ok(version);
        }
        self.apt(&["postgresql"], "PostgreSQL")?;
        debian_pg_version()
            .context("PostgreSQL is installed but /etc/postgresql/<version>/main does not exist")
    }

    fn apt(&mut self, packages: &[&str], what: &str) -> Result<()> {
        if !is_root()? {
            bail!(
                "{what} missing: install it with `sudo apt-get install {}` \
                 (xtask installs it by itself only when run as root)",
                packages.join(" ")
            );
        }
        if which("apt-get").is_none() {
            bail!(
                "{what} missing and this is not a Debian-like system: install {}",
                packages.join(" ")
            );
        }
        println!(
            "xtask: installing {what} with apt-get: {}",
            packages.join(" ")
        );
        if !self.apt_updated {
            run(Command::new("apt-get")
                .args(["update"])
                .env("DEBIAN_FRONTEND", "noninteractive"))?;
            self.apt_updated = true;
        }
        run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    }
}

fn installed_npm_version(modules: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(modules.join(name).join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_owned)
}

pub fn is_root() -> Result<bool> {
    Ok(output(Command::new("id").arg("-u"))?.trim() == "0")
}

/// The newest version with a `main` cluster under /etc/postgresql.
pub fn debian_pg_version() -> Option<String> {
    let mut versions: Vec<(u32, String)> = std::fs::read_dir("/etc/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("main").is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name.parse().ok()?, name))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, name)| name)
}

/// `npm install` of exact versions into `dir` (its own `node_modules`), quietly.
fn npm_install(dir: &Path, packages: impl IntoIterator<Item = String>) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut npm = Command::new("npm");
    npm.arg("install")
        .arg("--prefix")
        .arg(dir)
        .args([
            "--save-exact",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .args(packages);
    run(&mut npm)
}
