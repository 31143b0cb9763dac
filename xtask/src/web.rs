//! `build-web`: the Leptos app as a small, cache-friendly `dist/`.
//!
//! cargo (profile `wasm-release`) → wasm-bindgen (as a library, so its version always
//! matches the one pinned in the workspace) → binaryen's `wasm-opt -Oz` → content-hashed
//! assets, precompressed with brotli and gzip for the server to send as they are.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::ensure::{BINARYEN_VERSION, Tools, WASM_TARGET};
use crate::workspace::{Workspace, run};

/// Features rustc enables by default for wasm32 and that Chromium supports; wasm-opt
/// must be allowed to keep (and use) them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Extensions worth sending compressed.
const COMPRESSIBLE: &[&str] = &[
    "js",
    "wasm",
    "css",
    "html",
    "svg",
    "webmanifest",
    "json",
    "txt",
    "map",
    "xml",
];

pub fn build_web(ws: &Workspace, tools: &Tools) -> Result<()> {
    let frontend = ws.root.join("frontend");
    let index_src = frontend.join("index.html");
    let boot_src = frontend.join("boot.js");
    let css_src = frontend.join("style/main.css");
    for f in [&index_src, &boot_src, &css_src] {
        if !f.is_file() {
            bail!(
                "{} is missing: the web app cannot be assembled without it",
                f.display()
            );
        }
    }

    run(&mut ws.cargo([
        "build",
        "--package",
        "frontend",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ]))?;
    let wasm_in = ws
        .target_dir
        .join(WASM_TARGET)
        .join("wasm-release/frontend.wasm");

    let work = ws.target_dir.join("xtask-web");
    let bindgen_dir = work.join("bindgen");
    recreate_dir(&bindgen_dir)?;
    eprintln!("xtask: wasm-bindgen {}", wasm_in.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm_in)
        .web(true)?
        .out_name("frontend")
        .typescript(false)
        .generate(&bindgen_dir)
        .context("wasm-bindgen failed")?;

    let wasm = optimise(tools, &work, &bindgen_dir.join("frontend_bg.wasm"))?;
    let js =
        fs::read_to_string(bindgen_dir.join("frontend.js")).context("reading wasm-bindgen's JS")?;
    let boot =
        fs::read_to_string(&boot_src).with_context(|| format!("reading {}", boot_src.display()))?;
    let css = fs::read(&css_src).with_context(|| format!("reading {}", css_src.display()))?;
    let index = fs::read_to_string(&index_src)
        .with_context(|| format!("reading {}", index_src.display()))?;

    // Hash in dependency order: each file's name is fixed before a file that names it.
    let wasm_name = hashed("frontend_bg", "wasm", &wasm);
    let js_name = hashed("frontend", "js", js.as_bytes());
    let boot = replace_required(&boot, "./frontend.js", &format!("./{js_name}"), &boot_src)?;
    // Absolute: wasm-bindgen fetch()es a string path, and fetch resolves it against the
    // page's URL (e.g. /about), not against boot.js in /assets/. (wasm-bindgen as a
    // library emits no default path, so frontend.js names no wasm file itself.)
    let boot = replace_required(
        &boot,
        "./frontend_bg.wasm",
        &format!("/assets/{wasm_name}"),
        &boot_src,
    )?;
    let boot_name = hashed("boot", "js", boot.as_bytes());
    let css_name = hashed("main", "css", &css);
    let index = replace_required(
        &index,
        "/assets/main.css",
        &format!("/assets/{css_name}"),
        &index_src,
    )?;
    let index = replace_required(
        &index,
        "/assets/boot.js",
        &format!("/assets/{boot_name}"),
        &index_src,
    )?;
    let preload = format!(
        r#"<link rel="preload" href="/assets/{wasm_name}" as="fetch" type="application/wasm" crossorigin>"#
    );
    let index = replace_required(&index, "<!--wasm-preload-->", &preload, &index_src)?;

    // Assemble on dist's filesystem, so that swapping it in is two quick renames; `.tools`
    // is ignored by git, so a crash leaves nothing for `git status` to show.
    let staging_root = ws.tools_dir().join("staging");
    let staging = staging_root.join("dist");
    recreate_dir(&staging)?;
    let public = frontend.join("public");
    if public.is_dir() {
        copy_tree(&public, &staging)?;
    }
    let assets = staging.join("assets");
    fs::create_dir_all(&assets)?;
    let snippets = bindgen_dir.join("snippets");
    if snippets.is_dir() {
        // Inline JS from `#[wasm_bindgen(inline_js)]`, imported relative to frontend.js.
        copy_tree(&snippets, &assets.join("snippets"))?;
    }
    write(&assets.join(&wasm_name), &wasm)?;
    write(&assets.join(&js_name), js.as_bytes())?;
    write(&assets.join(&boot_name), boot.as_bytes())?;
    write(&assets.join(&css_name), &css)?;
    write(&staging.join("index.html"), index.as_bytes())?;

    let mut sizes = Vec::new();
    precompress_tree(&staging, &mut sizes)?;

    let dist = ws.dist_dir();
    let old = staging_root.join("dist-old");
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }
    if dist.exists() {
        fs::rename(&dist, &old)
            .with_context(|| format!("moving the old {} aside", dist.display()))?;
    }
    fs::rename(&staging, &dist)
        .with_context(|| format!("moving the new web app to {}", dist.display()))?;
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    }

    print_sizes(
        &dist,
        &sizes,
        &[&wasm_name, &js_name, &boot_name, &css_name],
    );
    Ok(())
}

/// `wasm-opt -Oz`, cached by the input's hash: it takes a while and most runs change nothing.
fn optimise(tools: &Tools, work: &Path, input: &Path) -> Result<Vec<u8>> {
    let bytes = fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let key = format!(
        "{}{BINARYEN_VERSION}{}",
        sha256_hex(&bytes),
        WASM_FEATURES.join(" ")
    );
    let cache = work.join(format!("opt-{}.wasm", &sha256_hex(key.as_bytes())[..16]));
    if let Ok(done) = fs::read(&cache) {
        eprintln!("xtask: wasm-opt skipped, input unchanged");
        return Ok(done);
    }
    // Drop results for older inputs.
    for entry in fs::read_dir(work)?.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with("opt-") {
            fs::remove_file(entry.path()).ok();
        }
    }
    let tmp = work.join(format!("opt.tmp-{}.wasm", std::process::id()));
    run(Command::new("node")
        .arg(&tools.wasm_opt)
        .arg("-Oz")
        .args(WASM_FEATURES)
        .args(["--strip-debug", "--strip-producers"])
        .arg(input)
        .arg("-o")
        .arg(&tmp))?;
    fs::rename(&tmp, &cache)?;
    fs::read(&cache).with_context(|| format!("reading {}", cache.display()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `stem-HASH.ext`, HASH being the first 16 hex digits of the content's SHA-256.
fn hashed(stem: &str, ext: &str, content: &[u8]) -> String {
    format!("{stem}-{}.{ext}", &sha256_hex(content)[..16])
}

fn replace_required(text: &str, from: &str, to: &str, file: &Path) -> Result<String> {
    if !text.contains(from) {
        bail!(
            "{} must contain `{from}` (xtask replaces it with `{to}`)",
            file.display()
        );
    }
    Ok(text.replace(from, to))
}

fn recreate_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest).with_context(|| {
                format!("copying {} to {}", entry.path().display(), dest.display())
            })?;
        }
    }
    Ok(())
}

/// Raw, gzip and brotli size of one file.
struct Sizes {
    path: PathBuf,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

/// Writes `x.br` (brotli 11) and `x.gz` (gzip best) next to every compressible file.
fn precompress_tree(dir: &Path, sizes: &mut Vec<Sizes>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            precompress_tree(&path, sizes)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !compressible {
            continue;
        }
        let raw = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let br = brotli(&raw)?;
        let gz = gzip(&raw)?;
        write(&append_ext(&path, "br"), &br)?;
        write(&append_ext(&path, "gz"), &gz)?;
        sizes.push(Sizes {
            path,
            raw: raw.len(),
            gzip: gz.len(),
            brotli: br.len(),
        });
    }
    Ok(())
}

fn append_ext(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn brotli(raw: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).context("brotli compression")?;
    Ok(out)
}

fn gzip(raw: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw)?;
    enc.finish().context("gzip compression")
}

/// The figures for the notes: what a first visit downloads.
fn print_sizes(dist: &Path, sizes: &[Sizes], bundle: &[&str]) {
    let kb = |n: usize| format!("{:.1} KB", n as f64 / 1000.0);
    println!("\nweb app in {}:", dist.display());
    println!(
        "  {:<36} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for name in bundle {
        if let Some(s) = sizes
            .iter()
            .find(|s| s.path.file_name().is_some_and(|f| f == *name))
        {
            println!(
                "  {:<36} {:>10} {:>10} {:>10}",
                name,
                kb(s.raw),
                kb(s.gzip),
                kb(s.brotli)
            );
            raw += s.raw;
            gz += s.gzip;
            br += s.brotli;
        }
    }
    println!(
        "  {:<36} {:>10} {:>10} {:>10}",
        "total (wasm + js + css)",
        kb(raw),
        kb(gz),
        kb(br)
    );
}
