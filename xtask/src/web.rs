//! `build-web`: the Leptos app as a small, cache-friendly `dist/`.
//!
//! Two apps from the `frontend` crate ([`WebApp`]): the whole app, and the answering
//! app that a letter's link opens. Each: cargo (its own profile, the final link
//! keeping its relocations) →
//! `wasm_split_cli_support` (one main module plus a chunk per lazy route) →
//! wasm-bindgen (as a library, so its version always matches the one pinned in the
//! workspace) → binaryen's `wasm-opt -Oz` on every module → content-hashed assets,
//! precompressed with brotli and gzip for the server to send as they are → the
//! download of each entry point checked against its budget (`budgets.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use sha2::{Digest, Sha256};

use crate::budgets::{BUDGETS, Budget};
use crate::ensure::{BINARYEN_VERSION, Tools, WASM_TARGET};
use crate::workspace::{Workspace, output, run};

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
    "bin",
    "css",
    "html",
    "svg",
    "webmanifest",
    "json",
    "txt",
    "map",
    "xml",
];

/// Every crate of a web app, the standard library included, panics by aborting at once,
/// and `#[track_caller]` passes no source locations. Added to `.cargo/config.toml`'s
/// flags for the target (cargo joins the two lists).
const PANIC_RUSTFLAGS: &str = r#"target.wasm32-unknown-unknown.rustflags=["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none"]"#;

/// The loader of the lazy chunks that the splitter writes and the main wasm imports.
const SPLIT_LOADER: &str = "__wasm_split.js";

/// The page the server sends for `/s/…` (`backend/src/web.rs`): `index.html` with
/// the answering app instead of the whole one, and without the start page's first
/// paint, where the server writes the survey's title and introduction.
const ANSWER_PAGE: &str = "answer.html";

/// The two wasm apps `build_web` makes from the `frontend` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WebApp {
    /// Every page (`index.html`): the start page, sign-in, staff pages as lazy routes.
    Whole,
    /// What a letter's link opens (`answer.html`, the frontend's feature
    /// `answer-app`): the answering page and the layout around it, nothing else. Any
    /// other address loads the whole app from the server.
    Answering,
}

impl WebApp {
    const ALL: [WebApp; 2] = [WebApp::Whole, WebApp::Answering];

    /// wasm-bindgen's output name: `frontend.js`, `frontend_bg.wasm`.
    fn stem(self) -> &'static str {
        match self {
            WebApp::Whole => "frontend",
            WebApp::Answering => "answer",
        }
    }

    /// A cargo profile of its own, so that both builds stay in `target/`.
    fn profile(self) -> &'static str {
        match self {
            WebApp::Whole => "wasm-release",
            WebApp::Answering => "wasm-answer",
        }
    }

    fn features(self) -> &'static [&'static str] {
        match self {
            WebApp::Whole => &[],
            WebApp::Answering => &["--features", "answer-app"],
        }
    }
}

/// One app's files in `assets/`, and which of them its pages fetch.
struct AppFiles {
    /// Fetched by every page of the app: its JS, chunk loader and main wasm.
    first: Vec<String>,
    /// Lazy split name (e.g. `quarters_route_view_1234`) → the chunk files it fetches.
    lazy: BTreeMap<String, Vec<String>>,
    /// A route's bundle → the module files that come out of it once that route loads
    /// (see `RouteBundles`).
    bundled: BTreeMap<String, BTreeSet<String>>,
}

/// What `build_web` produced: the files each entry point downloads, with their sizes.
pub struct Bundle {
    sizes: Vec<Sizes>,
    /// Fetched by every page of both apps: the boot script and the CSS.
    shared: Vec<String>,
    apps: BTreeMap<WebApp, AppFiles>,
}

/// One app after splitting, wasm-bindgen, wasm-opt and hashing.
struct BuiltApp {
    js_name: String,
    wasm_name: String,
    /// File name in `assets/` → content.
    assets: Vec<(String, Vec<u8>)>,
    /// wasm-bindgen's inline JS, if any (`snippets/`, next to the app's JS).
    snippets: Option<PathBuf>,
    files: AppFiles,
}

pub fn build_web(ws: &Workspace, tools: &Tools) -> Result<Bundle> {
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

    let work = ws.target_dir.join("xtask-web");
    let mut optimised = Vec::new();
    let mut apps = BTreeMap::new();
    for app in WebApp::ALL {
        apps.insert(app, build_app(ws, tools, app, &work, &mut optimised)?);
    }
    forget_old_optimisations(&work, &optimised);

    let boot = fs::read_to_string(&boot_src)
        .with_context(|| format!("reading {}", boot_src.display()))
        .and_then(|js| without_js_comments(&js).with_context(|| boot_src.display().to_string()))?;
    let css = fs::read_to_string(&css_src)
        .with_context(|| format!("reading {}", css_src.display()))
        .and_then(|css| {
            without_css_comments(&css).with_context(|| css_src.display().to_string())
        })?;
    let index = fs::read_to_string(&index_src)
        .with_context(|| format!("reading {}", index_src.display()))?;
    let boot_name = hashed("boot", "js", boot.as_bytes());
    let css_name = hashed("main", "css", css.as_bytes());
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
    let with_app = |app: WebApp| {
        replace_required(
            &index,
            "<!--wasm-preload-->",
            &app_files(&apps[&app]),
            &index_src,
        )
    };
    let answer = without_html_comments(&answer_page(&with_app(WebApp::Answering)?)?);
    let index = without_html_comments(&without_start_screen(&with_app(WebApp::Whole)?)?);

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
    let mut files = BTreeMap::new();
    for (app, mut built) in apps {
        if let Some(snippets) = &built.snippets {
            // Inline JS from `#[wasm_bindgen(inline_js)]`, imported relative to the JS.
            copy_tree(snippets, &assets.join("snippets"))?;
            built.files.first.extend(files_under(&assets, snippets)?);
        }
        for (name, bytes) in &built.assets {
            write(&assets.join(name), bytes)?;
        }
        files.insert(app, built.files);
    }
    write(&assets.join(&boot_name), boot.as_bytes())?;
    write(&assets.join(&css_name), css.as_bytes())?;
    write(&staging.join("index.html"), index.as_bytes())?;
    write(&staging.join(ANSWER_PAGE), answer.as_bytes())?;

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

    let bundle = Bundle {
        sizes,
        shared: vec![boot_name, css_name],
        apps: files,
    };
    bundle.print_files(&dist);
    Ok(bundle)
}

/// The app's files, in an inert template that `boot.js` reads: it imports the JS and
/// starts it with the wasm named in its data attributes, and puts the links in the
/// head once the first paint is on screen (ARCHITECTURE.md, "First paint before the
/// app's download"). Absolute paths: wasm-bindgen `fetch()`es the wasm's path as it
/// is, resolved against the page's address (e.g. /about).
fn app_files(app: &BuiltApp) -> String {
    let loader = app
        .files
        .first
        .iter()
        .find(|f| f.contains("_split-"))
        .map(|loader| format!("\n  <link rel=\"modulepreload\" href=\"/assets/{loader}\">"))
        .unwrap_or_default();
    format!(
        "<template id=\"app-files\" data-js=\"/assets/{js}\" data-wasm=\"/assets/{wasm}\">\n  \
         <link rel=\"modulepreload\" href=\"/assets/{js}\">{loader}\n  \
         <link rel=\"preload\" href=\"/assets/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>{english}\n  \
         </template>",
        js = app.js_name,
        wasm = app.wasm_name,
        english = english_files(&app.files),
    )
}

/// Preloads of the English texts' files (the lazy part `english`), marked
/// `data-lang="en"`: `boot.js` keeps them for a reader who chose English. The app asks
/// for them only once it runs, and its first paint waits for them.
fn english_files(files: &AppFiles) -> String {
    files
        .lazy
        .iter()
        .filter(|(split, _)| split_label(split) == "english")
        .flat_map(|(_, chunks)| chunks)
        .map(|chunk| {
            format!(
                "\n  <link rel=\"preload\" href=\"/assets/{chunk}\" as=\"fetch\" type=\"application/wasm\" crossorigin data-lang=\"en\">"
            )
        })
        .collect()
}

/// Builds one app: cargo → splitter → wasm-bindgen → wasm-opt → hashed names.
/// Records the wasm-opt cache files it used in `optimised`.
fn build_app(
    ws: &Workspace,
    tools: &Tools,
    app: WebApp,
    work: &Path,
    optimised: &mut Vec<PathBuf>,
) -> Result<BuiltApp> {
    let stem = app.stem();
    // The splitter needs the linker's relocations. `cargo rustc` hands the flag to the
    // final link of the frontend only, so the dependencies' cache stays shared with
    // every other build of the same profile.
    let mut args = vec![
        "rustc",
        // The standard library is compiled with the app, so that a panic aborts at once
        // (`immediate-abort`): no panic messages, source locations or the formatting
        // code behind them in the wasm (ARCHITECTURE.md, "Bundle size"). These flags
        // are unstable; `RUSTC_BOOTSTRAP` below lets the stable toolchain take them,
        // for this build only.
        "-Zbuild-std=std,panic_abort",
        "--config",
        PANIC_RUSTFLAGS,
        "--package",
        "frontend",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        app.profile(),
    ];
    args.extend(app.features());
    args.extend(["--", "-C", "link-arg=--emit-relocs"]);
    run(ws.cargo(args).env("RUSTC_BOOTSTRAP", "1"))?;
    let wasm_in = ws
        .target_dir
        .join(WASM_TARGET)
        .join(app.profile())
        .join("frontend.wasm");

    let work_app = work.join(stem);
    let split_dir = work_app.join("split");
    recreate_dir(&split_dir)?;
    eprintln!("xtask: wasm-split {}", wasm_in.display());
    let raw = fs::read(&wasm_in).with_context(|| format!("reading {}", wasm_in.display()))?;
    let main_split = split_dir.join(format!("{stem}.wasm"));
    let link_name = format!("./{SPLIT_LOADER}");
    let main_module = format!("./{stem}.js");
    let mut opts = wasm_split_cli_support::Options::new(&raw);
    opts.output_dir = &split_dir;
    opts.main_out_path = &main_split;
    opts.main_module = &main_module;
    opts.link_name = &link_name;
    let split = wasm_split_cli_support::transform(opts)
        .map_err(|e| anyhow!("{e:?}"))
        .context("splitting the wasm into lazily loaded chunks")?;

    let bindgen_dir = work_app.join("bindgen");
    recreate_dir(&bindgen_dir)?;
    eprintln!("xtask: wasm-bindgen {}", main_split.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_split)
        .web(true)?
        .out_name(stem)
        .typescript(false)
        // The chunks link against the main module's function table and the
        // functions it exports by their mangled names; both must survive.
        .keep_lld_exports(true)
        .demangle(false)
        .generate(&bindgen_dir)
        .context("wasm-bindgen failed")?;

    let wasm = optimise(
        tools,
        work,
        &bindgen_dir.join(format!("{stem}_bg.wasm")),
        MAIN_MODULE_PASSES,
        optimised,
    )?;
    // Chunk stem (`chunk_0`, `split_quarters_route_view_1234`) → optimised bytes. The
    // chunks are many (one per set of routes sharing code): one wasm-opt per core.
    let mut chunks = BTreeMap::new();
    for (chunk, bytes, cache) in optimise_all(tools, work, &split.split_modules)? {
        chunks.insert(chunk, bytes);
        optimised.push(cache);
    }

    let js_path = bindgen_dir.join(format!("{stem}.js"));
    let js = fs::read_to_string(&js_path).context("reading wasm-bindgen's JS")?;
    let loader_path = split_dir.join(SPLIT_LOADER);
    let loader = fs::read_to_string(&loader_path)
        .with_context(|| format!("reading {}", loader_path.display()))?;

    // Hash in dependency order: each file's name is fixed before a file that names it.
    let wasm_name = hashed(&format!("{stem}_bg"), "wasm", &wasm);
    // The loader fetches chunks by name, relative to itself. Both apps' chunks share
    // `assets/`: a name is its content's hash, so the same name is the same file.
    let mut chunk_names = BTreeMap::new();
    let mut loader = loader;
    for (chunk, bytes) in &chunks {
        let name = hashed(&chunk_label(chunk), "wasm", bytes);
        loader = replace_required(
            &loader,
            &format!("\"./{chunk}.wasm\""),
            &format!("\"./{name}\""),
            &loader_path,
        )?;
        chunk_names.insert(chunk.clone(), name);
    }
    let bundles = RouteBundles::new(&split.prefetch_map, &chunks, &chunk_names)?;
    let loader = bundles.rewrite_loader(&loader, &loader_path)?;
    // The app JS imports the loader and the loader imports the app JS: neither name
    // can depend on the other's content alone, so both carry one hash of the pair.
    let pair = sha256_hex(format!("{js}\0{loader}").as_bytes());
    let js_name = format!("{stem}-{}.js", &pair[..16]);
    let loader_name = format!("{stem}_split-{}.js", &pair[..16]);
    let js = replace_required(
        &js,
        &format!("from \"./{SPLIT_LOADER}\""),
        &format!("from \"./{loader_name}\""),
        &js_path,
    )?;
    let loader = replace_required(
        &loader,
        &format!("from \"./{stem}.js\""),
        &format!("from \"./{js_name}\""),
        &loader_path,
    )?;

    let mut assets = vec![(wasm_name.clone(), wasm)];
    for (chunk, bytes) in chunks {
        assets.push((chunk_names[&chunk].clone(), bytes));
    }
    let lazy = split
        .prefetch_map
        .into_iter()
        .map(|(name, stems)| {
            let files = stems
                .iter()
                .map(|stem| {
                    chunk_names
                        .get(stem)
                        .cloned()
                        .with_context(|| format!("lazy route {name} needs {stem}, not emitted"))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((name, files))
        })
        .collect::<Result<_>>()?;
    let mut lazy: BTreeMap<String, Vec<String>> = lazy;
    for (split, files) in lazy.iter_mut() {
        if let Some(bundle) = bundles.0.iter().find(|b| &b.split == split) {
            *files = vec![bundle.name.clone()];
        }
    }
    let bundled = bundles
        .0
        .iter()
        .map(|b| {
            (
                b.name.clone(),
                b.parts.iter().map(|(name, _)| name.clone()).collect(),
            )
        })
        .collect();
    for bundle in bundles.0 {
        assets.push((bundle.name, bundle.bytes));
    }
    assets.push((js_name.clone(), js.into_bytes()));
    assets.push((loader_name.clone(), loader.into_bytes()));
    let snippets = Some(bindgen_dir.join("snippets")).filter(|d| d.is_dir());
    Ok(BuiltApp {
        files: AppFiles {
            first: vec![js_name.clone(), loader_name, wasm_name.clone()],
            lazy,
            bundled,
        },
        js_name,
        wasm_name,
        assets,
        snippets,
    })
}

/// Where the code page's first paint starts: the last of `index.html`'s first paints.
const CODE_FIRST_PAINT: &str = "<div id=\"first-paint-code\">";

/// `answer.html` from `index.html` with the answering app's files: the survey's first
/// paint, which the server writes, in place of the start, sign-in and registration pages';
/// the code page's stays, since `/code` is the answering app's too. The answering app
/// holds both pages in its main module, so nothing else needs preloading.
fn answer_page(index: &str) -> Result<String> {
    let (head, rest) = index
        .split_once("<!--first-paint-->")
        .context("index.html has no <!--first-paint--> mark")?;
    let (paints, tail) = rest
        .split_once("<!--/first-paint-->")
        .context("index.html has no <!--/first-paint--> mark")?;
    let code = paints
        .find(CODE_FIRST_PAINT)
        .map(|at| paints[at..].trim_end())
        .context("index.html's first paint has no code page (`<div id=\"first-paint-code\">`)")?;
    let page = format!("{head}<!--survey-first-paint-->{code}{tail}");
    let (before, after) = page
        .split_once("</title>")
        .context("index.html has no title")?;
    let before = before
        .rsplit_once("<title>")
        .map(|(b, _)| b)
        .context("index.html has no title")?;
    Ok(format!("{before}<title>Quartier</title>{after}"))
}

/// Where `index.html` has the survey start screen's template, which only `answer.html`
/// needs (`boot.js` fills it on an answering page).
const START_SCREEN: (&str, &str) = ("<!--start-screen-->", "<!--/start-screen-->");

/// The whole app's `index.html`: without the survey start screen's template, which no
/// page of the whole app shows.
fn without_start_screen(index: &str) -> Result<String> {
    let (before, rest) = index
        .split_once(START_SCREEN.0)
        .context("index.html has no <!--start-screen--> mark")?;
    let (_, after) = rest
        .split_once(START_SCREEN.1)
        .context("index.html has no <!--/start-screen--> mark")?;
    Ok(format!("{}{}", before.trim_end_matches([' ', '\n']), after))
}

/// One lazy route's modules (its chunks and its own module) in one file.
struct RouteBundle {
    /// The split, as the splitter names it (`__quarters_route_view_1234`).
    split: String,
    name: String,
    bytes: Vec<u8>,
    /// Module file name → its byte range after the index.
    parts: Vec<(String, (usize, usize))>,
}

/// Every lazy route's modules in one file each. The splitter makes a chunk per set of
/// routes sharing a piece of code, most under 1 KB: the answering route needed 114
/// modules, the help pages 132, each a request on a slow line and compressed alone.
/// Bundled, a route is one request, and compresses better (the answering route: 129 KB
/// brotli instead of 166 KB). Lazy functions (`#[lazy]`, loaded within a page) keep
/// their modules' own files, but take them from a route's bundle already asked for.
struct RouteBundles(Vec<RouteBundle>);

impl RouteBundles {
    fn new(
        prefetch_map: &std::collections::HashMap<String, Vec<String>>,
        chunks: &BTreeMap<String, Vec<u8>>,
        chunk_names: &BTreeMap<String, String>,
    ) -> Result<RouteBundles> {
        let mut bundles = Vec::new();
        let mut splits: Vec<_> = prefetch_map
            .iter()
            .filter(|(split, stems)| split_label(split).ends_with("_route") && stems.len() > 1)
            .collect();
        splits.sort();
        for (split, stems) in splits {
            let mut data = Vec::new();
            let mut parts = Vec::new();
            let mut stems = stems.clone();
            stems.sort();
            for stem in &stems {
                let (Some(name), Some(chunk)) = (chunk_names.get(stem), chunks.get(stem)) else {
                    bail!("lazy route {split} needs {stem}, not emitted");
                };
                let start = data.len();
                data.extend_from_slice(chunk);
                parts.push((name.clone(), (start, data.len())));
            }
            // The file: the index's length (4 bytes, little-endian), the index as JSON
            // (`{"chunk_1-aa.wasm":[start,end],…}`, offsets into what follows it), the
            // modules. The index travels in the bundle, not in the loader every page
            // downloads.
            let index = format!(
                "{{{}}}",
                parts
                    .iter()
                    .map(|(name, (start, end))| format!("\"{name}\":[{start},{end}]"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let index_len = u32::try_from(index.len()).context("a bundle's index is too long")?;
            let mut bytes = index_len.to_le_bytes().to_vec();
            bytes.extend_from_slice(index.as_bytes());
            bytes.extend_from_slice(&data);
            let name = hashed(split_label(split), "bin", &bytes);
            bundles.push(RouteBundle {
                split: split.clone(),
                name,
                bytes,
                parts,
            });
        }
        Ok(RouteBundles(bundles))
    }

    /// Makes the loader take a route's modules from its bundle once that route starts
    /// loading, and any module from a bundle already asked for; other modules come from
    /// their own files, so a page that needs one small shared chunk does not download a
    /// route's whole bundle.
    fn rewrite_loader(&self, loader: &str, loader_path: &Path) -> Result<String> {
        let mut loader = loader.to_owned();
        // Module file → the bundles that hold it.
        let mut holders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, bundle) in self.0.iter().enumerate() {
            for (name, _) in &bundle.parts {
                holders.entry(name.as_str()).or_default().push(i);
            }
        }
        for (name, ids) in &holders {
            let ids = ids
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",");
            loader = replace_required(
                &loader,
                &format!("fetch(new URL(\"./{name}\", import.meta.url))"),
                &format!("fromBundle(\"{name}\", [{ids}])"),
                loader_path,
            )?;
        }
        for (i, bundle) in self.0.iter().enumerate() {
            // wrapAsyncCb(makeLoad(…, [chunks])) becomes
            // wrapAsyncCb(startingBundle(i, makeLoad(…, [chunks]))).
            let marker = format!(
                "export const __wasm_split_load_{} = wrapAsyncCb(",
                bundle.split
            );
            let (before, after) = loader.split_once(&marker).with_context(|| {
                format!("{}: no loader of {}", loader_path.display(), bundle.split)
            })?;
            let (call, tail) = after.split_once("]));\n").with_context(|| {
                format!(
                    "{}: the loader of {} has no end",
                    loader_path.display(),
                    bundle.split
                )
            })?;
            loader = format!("{before}{marker}startingBundle({i}, {call}])));\n{tail}");
        }
        let urls = self
            .0
            .iter()
            .map(|b| format!("\"./{}\"", b.name))
            .collect::<Vec<_>>()
            .join(",");
        // Kept short: every page downloads the loader. `bundleBytes[i]` is bundle i's
        // download once started (a failed one is forgotten, so the next load tries
        // again); `fromBundle` cuts a module out of the first bundle asked for that holds
        // it, or fetches the module's own file; `startingBundle` starts a route's bundle
        // with the route.
        let helper = format!(
            "// xtask: each lazy route's modules come in one file\n\
             const bundleUrls = [{urls}];\n\
             const bundleBytes = [];\n\
             function fromBundle(n, ids) {{\n\
             const id = ids.find((i) => bundleBytes[i] !== undefined);\n\
             if (id === undefined) return fetch(new URL(`./${{n}}`, import.meta.url));\n\
             return bundleBytes[id].then(({{ b, i, at }}) => new Response(b.slice(at + i[n][0], at + i[n][1]), {{ headers: {{ \"Content-Type\": \"application/wasm\" }} }}));\n\
             }}\n\
             function startingBundle(id, load) {{\n\
             return () => {{\n\
             if (bundleBytes[id] === undefined) {{\n\
             const p = fetch(new URL(bundleUrls[id], import.meta.url)).then(async (r) => {{\n\
             if (!r.ok) throw new Error(`${{bundleUrls[id]}}: ${{r.status}}`);\n\
             const b = await r.arrayBuffer();\n\
             const n = new DataView(b).getUint32(0, true);\n\
             return {{ b, i: JSON.parse(new TextDecoder().decode(new Uint8Array(b, 4, n))), at: 4 + n }};\n\
             }});\n\
             p.catch(() => {{ if (bundleBytes[id] === p) bundleBytes[id] = undefined; }});\n\
             bundleBytes[id] = p;\n\
             }}\n\
             return load();\n\
             }};\n\
             }}\n"
        );
        // The helper goes after the loader's import, before anything that calls it.
        let (import, body) = loader
            .split_once(";\n")
            .with_context(|| format!("{}: no import", loader_path.display()))?;
        Ok(format!("{import};\n{helper}{body}"))
    }
}

impl Bundle {
    fn size(&self, name: &str) -> Option<&Sizes> {
        self.sizes
            .iter()
            .find(|s| s.path.ends_with(Path::new("assets").join(name)))
    }

    /// The figures for the notes: every wasm, js and css file.
    fn print_files(&self, dist: &Path) {
        println!("\nweb app in {}:", dist.display());
        println!(
            "  {:<48} {:>10} {:>10} {:>10}",
            "file", "raw", "gzip", "brotli"
        );
        let mut names: Vec<&String> = self.shared.iter().collect();
        for files in self.apps.values() {
            let lazy: BTreeSet<&String> = files.lazy.values().flatten().collect();
            names.extend(files.first.iter().chain(lazy));
        }
        for name in names {
            if let Some(s) = self.size(name) {
                println!(
                    "  {:<48} {:>10} {:>10} {:>10}",
                    name,
                    kb(s.raw),
                    kb(s.gzip),
                    kb(s.brotli)
                );
            }
        }
    }

    /// The files an entry point fetches before it is usable.
    fn files_of(&self, budget: &Budget) -> Result<BTreeSet<&String>> {
        if budget.first_paint {
            return Ok(self.shared.iter().collect());
        }
        let app = &self.apps[&budget.app];
        let mut files: BTreeSet<&String> = self.shared.iter().chain(&app.first).collect();
        for route in budget.lazy {
            let chunks = app
                .lazy
                .iter()
                .find(|(split, _)| split_label(split) == *route)
                .map(|(_, chunks)| chunks)
                .with_context(|| {
                    format!(
                        "the budget of \"{}\" names the lazy part `{route}`, which the \
                         {:?} app does not have (renamed? see frontend/src/pages/lazy.rs)",
                        budget.entry, budget.app
                    )
                })?;
            files.extend(chunks);
        }
        // Once a route has loaded, the modules in its bundle come from there.
        let inside: BTreeSet<&String> = files
            .iter()
            .filter_map(|f| app.bundled.get(*f))
            .flatten()
            .collect();
        files.retain(|f| !inside.contains(f));
        Ok(files)
    }

    /// Prints each entry point's download and fails when one is over its budget,
    /// or when a lazy part has no budget at all.
    pub fn enforce_budgets(&self) -> Result<()> {
        println!(
            "\ndownload before the page is usable (wasm + js + css), budgets in xtask/src/budgets.rs:"
        );
        println!(
            "  {:<40} {:>10} {:>10} {:>10} {:>10}",
            "entry", "raw", "brotli", "budget", "target"
        );
        let mut over = Vec::new();
        for budget in BUDGETS {
            let files = self.files_of(budget)?;
            let (mut raw, mut brotli) = (0, 0);
            for name in files {
                let s = self
                    .size(name)
                    .with_context(|| format!("no size measured for {name}"))?;
                raw += s.raw;
                brotli += s.brotli;
            }
            let limit = budget.brotli_kb * 1000;
            let verdict = if brotli > limit { "OVER" } else { "ok" };
            println!(
                "  {:<40} {:>10} {:>10} {:>7} KB {:>7} KB  {verdict}",
                budget.entry,
                kb(raw),
                kb(brotli),
                budget.brotli_kb,
                budget.target_kb
            );
            if brotli > limit {
                over.push(format!(
                    "\"{}\" downloads {} brotli, over its budget of {} KB",
                    budget.entry,
                    kb(brotli),
                    budget.brotli_kb
                ));
            }
        }
        let mut unbudgeted = Vec::new();
        for (app, files) in &self.apps {
            for split in files.lazy.keys() {
                let budgeted = BUDGETS
                    .iter()
                    .filter(|b| b.app == *app)
                    .flat_map(|b| b.lazy)
                    .any(|route| split_label(split) == *route);
                if !budgeted {
                    unbudgeted.push(format!("{app:?}: {}", split_label(split)));
                }
            }
        }
        if !unbudgeted.is_empty() {
            bail!("lazy parts without a budget in xtask/src/budgets.rs: {unbudgeted:?}");
        }
        if !over.is_empty() {
            bail!(
                "over budget: {}. Make the download smaller, or raise the budget in \
                 xtask/src/budgets.rs and say why in the commit message",
                over.join("; ")
            );
        }
        Ok(())
    }
}

/// A short file name for a chunk: `split___quarters_route_view_1234` → `quarters_route`;
/// shared chunks (`chunk_7`) keep theirs.
fn chunk_label(stem: &str) -> String {
    match stem.strip_prefix("split_") {
        Some(split) => split_label(split).to_owned(),
        None => stem.to_owned(),
    }
}

/// The name a budget gives a lazy split: the function's name in snake case, without
/// what the macros add (`__quarters_route_view_1234` → `quarters_route`,
/// `english_1234` → `english`).
fn split_label(split: &str) -> &str {
    let name = split.trim_start_matches('_');
    let name = match name.rsplit_once('_') {
        Some((head, hash)) if hash.chars().all(|c| c.is_ascii_digit()) => head,
        _ => name,
    };
    name.strip_suffix("_view").unwrap_or(name)
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

/// Passes run on the main module before `-Oz`. Leptos turns on `server_fn`'s `browser`
/// feature, which brings `wasm-streams`, whose `#[wasm_bindgen]` classes (Rust streams
/// handed to JavaScript as `ReadableStream` sources and `WritableStream` sinks) are
/// exported from the wasm and so outlive the linker although nothing of the app makes
/// one (it has no server functions, and reads every answer whole). Without their
/// exports `-Oz` drops their code: ~13 KB raw, ~4 KB brotli off every first download.
/// wasm-bindgen's JS keeps the classes, which would fail only if something made one.
const MAIN_MODULE_PASSES: &[&str] = &["--remove-exports=*intounderlying*"];

/// `wasm-opt` (`passes`, then `-Oz`), cached by the input's hash and the arguments: it
/// takes a while and most runs change nothing. Records the cache file it used in `used`.
fn optimise(
    tools: &Tools,
    work: &Path,
    input: &Path,
    passes: &[&str],
    used: &mut Vec<PathBuf>,
) -> Result<Vec<u8>> {
    let bytes = fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let key = format!(
        "{}{BINARYEN_VERSION}{}{}",
        sha256_hex(&bytes),
        WASM_FEATURES.join(" "),
        passes.join(" ")
    );
    let cache = work.join(format!("opt-{}.wasm", &sha256_hex(key.as_bytes())[..16]));
    used.push(cache.clone());
    if let Ok(done) = fs::read(&cache) {
        eprintln!(
            "xtask: wasm-opt skipped for {}, input unchanged",
            input.display()
        );
        return Ok(done);
    }
    // Named after the input too: several run at once.
    let tmp = cache.with_extension(format!("tmp-{}.wasm", std::process::id()));
    // Quiet: on the chunks binaryen warns about a name subsection it does not know
    // ("unknown name subsection"), which is harmless; the names are stripped anyway.
    eprintln!("xtask: wasm-opt -Oz {}", input.display());
    output(
        Command::new("node")
            .arg(&tools.wasm_opt)
            .args(passes)
            .arg("-Oz")
            .args(WASM_FEATURES)
            .args(["--strip-debug", "--strip-producers"])
            .arg(input)
            .arg("-o")
            .arg(&tmp),
    )?;
    fs::rename(&tmp, &cache)?;
    fs::read(&cache).with_context(|| format!("reading {}", cache.display()))
}

/// [`optimise`] for every chunk, on as many threads as there are cores: `(stem, bytes,
/// cache file)` in the chunks' order.
fn optimise_all(
    tools: &Tools,
    work: &Path,
    paths: &[PathBuf],
) -> Result<Vec<(String, Vec<u8>, PathBuf)>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let one = |path: &PathBuf| -> Result<(String, Vec<u8>, PathBuf)> {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .with_context(|| format!("odd chunk file name {}", path.display()))?
            .to_owned();
        let mut used = Vec::new();
        let bytes = optimise(tools, work, path, &[], &mut used)?;
        let cache = used.pop().context("optimise records its cache file")?;
        Ok((stem, bytes, cache))
    };
    type Done = Vec<(usize, Result<(String, Vec<u8>, PathBuf)>)>;
    let mut done: Done = std::thread::scope(|s| -> Result<Done> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        mine.push((i, one(path)));
                    }
                    mine
                })
            })
            .collect();
        let mut done = Vec::new();
        for worker in workers {
            let results = worker
                .join()
                .map_err(|_| anyhow::anyhow!("a wasm-opt thread panicked"))?;
            done.extend(results);
        }
        Ok(done)
    })?;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Drops cached results for inputs this build no longer has.
fn forget_old_optimisations(work: &Path, used: &[PathBuf]) {
    let Ok(entries) = fs::read_dir(work) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_cache = entry.file_name().to_string_lossy().starts_with("opt-");
        if is_cache && !used.contains(&path) {
            fs::remove_file(path).ok();
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

// The files every first paint waits for (`boot.js`, the CSS, the page) are shipped
// without their comments and indentation, which are for the people who read the source:
// 3.5 KB brotli of the ~10 KB a first paint needs. Only whole-line comments go, and the
// build fails on what these simple rules would change the meaning of (ARCHITECTURE.md
// says why no minifier crate does this).

/// `boot.js` without its comment lines, blank lines and indentation. Only lines that are
/// wholly a `//` comment go; a template literal over several lines (whose indentation
/// would be text) fails the build.
fn without_js_comments(js: &str) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    for (n, line) in js.lines().enumerate() {
        let line = line.trim();
        if line.matches('`').count() % 2 == 1 {
            bail!(
                "line {}: a template literal over several lines; its indentation would be cut",
                n + 1
            );
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// The CSS without `/* … */` comments, blank lines and indentation. A comment mark in a
/// string (`content: "/*"`) fails the build.
fn without_css_comments(css: &str) -> Result<String> {
    let mut rest = css;
    let mut kept = String::with_capacity(css.len());
    while let Some(start) = rest.find("/*") {
        let before = &rest[..start];
        if before
            .lines()
            .last()
            .is_some_and(|line| line.matches(['"', '\'']).count() % 2 == 1)
        {
            bail!(
                "a comment mark inside a string: {}",
                before.lines().last().unwrap_or("")
            );
        }
        kept.push_str(before);
        let end = rest[start..]
            .find("*/")
            .context("a comment that never ends")?;
        rest = &rest[start + end + 2..];
    }
    kept.push_str(rest);
    Ok(without_indentation(&kept))
}

/// A page without its `<!-- … -->` comments (except the mark where the server writes a
/// survey's first paint, `backend/src/web.rs`), blank lines and indentation: between
/// tags and in text, a line break is as much space as a line break and indentation.
fn without_html_comments(html: &str) -> String {
    const KEPT: &str = "<!--survey-first-paint-->";
    let mut rest = html;
    let mut kept = String::with_capacity(html.len());
    while let Some(start) = rest.find("<!--") {
        kept.push_str(&rest[..start]);
        if rest[start..].starts_with(KEPT) {
            kept.push_str(KEPT);
            rest = &rest[start + KEPT.len()..];
            continue;
        }
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    kept.push_str(rest);
    without_indentation(&kept)
}

/// Every line trimmed, blank ones dropped.
fn without_indentation(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .fold(String::with_capacity(text.len()), |mut out, line| {
            out.push_str(line);
            out.push('\n');
            out
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

/// Paths of the files under `dir`, relative to `base`.
fn files_under(base: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(base, &path)?);
        } else if let Ok(relative) = path.strip_prefix(base) {
            out.push(relative.to_string_lossy().into_owned());
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    #[test]
    fn shipped_files_lose_their_comments_and_nothing_else() {
        let js = "// Starts the app.\nfunction f() {\n  // why\n  return \"http://x\"; // stays\n}\n\nf();\n";
        assert_eq!(
            super::without_js_comments(js).unwrap(),
            "function f() {\nreturn \"http://x\"; // stays\n}\nf();\n"
        );
        assert!(super::without_js_comments("const a = `one\n  two`;").is_err());
        assert_eq!(
            super::without_js_comments("const a = `${b}-x`;").unwrap(),
            "const a = `${b}-x`;\n"
        );

        let css = "/* The page. */\n.a {\n  color: red; /* why */\n  content: \"✓\";\n}\n";
        assert_eq!(
            super::without_css_comments(css).unwrap(),
            ".a {\ncolor: red;\ncontent: \"✓\";\n}\n"
        );
        assert!(super::without_css_comments(".a { content: \"/*\"; }").is_err());
        assert!(super::without_css_comments(".a {} /* open").is_err());

        let html = "<main>\n  <!-- why -->\n  <!--survey-first-paint--><p data-t=\"a\">Text\n    more</p>\n</main>\n";
        assert_eq!(
            super::without_html_comments(html),
            "<main>\n<!--survey-first-paint--><p data-t=\"a\">Text\nmore</p>\n</main>\n"
        );
    }

    use super::*;

    #[test]
    fn the_answer_page_leaves_room_for_the_survey() {
        let index = "<head><title>Willkommen · Quartier</title><template id=\"app-files\" data-js=\"/assets/answer-aa.js\"></template></head>\n<body><main><!--first-paint--><h1>Willkommen</h1>\n<div id=\"first-paint-code\"><h1>Code</h1></div>\n<!--/first-paint--><p>Wird geladen</p></main>\n</body>\n</html>";
        let page = answer_page(index).unwrap();
        assert_eq!(
            page,
            "<head><title>Quartier</title><template id=\"app-files\" data-js=\"/assets/answer-aa.js\"></template></head>\n<body><main><!--survey-first-paint--><div id=\"first-paint-code\"><h1>Code</h1></div><p>Wird geladen</p></main>\n</body>\n</html>"
        );
        let no_code = index.replace("first-paint-code", "first-paint-other");
        assert!(
            answer_page(&no_code).is_err(),
            "the code page's first paint is required"
        );
    }

    #[test]
    fn only_the_answer_page_has_the_start_screen() {
        let index = "<title>Q</title><main><!--first-paint--><div id=\"first-paint-code\"></div>\n      <!--start-screen--><template id=\"first-paint-start\"><form></form></template><!--/start-screen-->\n<!--/first-paint--></main>";
        assert_eq!(
            without_start_screen(index).unwrap(),
            "<title>Q</title><main><!--first-paint--><div id=\"first-paint-code\"></div>\n<!--/first-paint--></main>"
        );
        assert!(
            answer_page(index)
                .unwrap()
                .contains("<template id=\"first-paint-start\">")
        );
        assert!(without_start_screen("<main></main>").is_err());
    }

    /// The shape wasm_split_cli_support 0.2.4 writes, cut down to three chunks.
    const LOADER: &str = r#"import { initSync } from "./frontend.js";

function makeLoad(fetcher, deps) {}
/* __help_route_view_1, __survey_answer_route_view_1 */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1-aa.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* __help_route_view_1, __quarters_route_view_1 */
const __chunk_2 = makeLoad(() => {
    const src = fetch(new URL("./chunk_2-bb.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* english_1, __quarters_route_view_1 */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3-ee.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load___survey_answer_route_view_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./survey_answer_route-cc.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_1]));
export const __wasm_split_load___help_route_view_1 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./help_route-dd.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_1, __chunk_2]));
export const __wasm_split_load_english_1 = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_3]));
"#;

    #[test]
    fn each_route_takes_its_modules_from_one_bundle() {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let prefetch = std::collections::HashMap::from([
            (
                "__survey_answer_route_view_1".to_owned(),
                owned(&["split___survey_answer_route_view_1", "chunk_1"]),
            ),
            (
                "__help_route_view_1".to_owned(),
                owned(&["chunk_1", "chunk_2", "split___help_route_view_1"]),
            ),
            ("english_1".to_owned(), owned(&["chunk_3"])),
        ]);
        let chunks = BTreeMap::from([
            ("chunk_1".to_owned(), vec![1u8; 3]),
            ("chunk_2".to_owned(), vec![2u8; 4]),
            ("chunk_3".to_owned(), vec![4u8; 1]),
            (
                "split___survey_answer_route_view_1".to_owned(),
                vec![3u8; 5],
            ),
            ("split___help_route_view_1".to_owned(), vec![5u8; 2]),
        ]);
        let names = BTreeMap::from([
            ("chunk_1".to_owned(), "chunk_1-aa.wasm".to_owned()),
            ("chunk_2".to_owned(), "chunk_2-bb.wasm".to_owned()),
            ("chunk_3".to_owned(), "chunk_3-ee.wasm".to_owned()),
            (
                "split___survey_answer_route_view_1".to_owned(),
                "survey_answer_route-cc.wasm".to_owned(),
            ),
            (
                "split___help_route_view_1".to_owned(),
                "help_route-dd.wasm".to_owned(),
            ),
        ]);
        let bundles = RouteBundles::new(&prefetch, &chunks, &names).unwrap();
        // Routes only (not the lazy function `english`), in a stable order.
        let splits: Vec<&str> = bundles.0.iter().map(|b| b.split.as_str()).collect();
        assert_eq!(
            splits,
            ["__help_route_view_1", "__survey_answer_route_view_1"]
        );
        let answering = &bundles.0[1];
        let index = br#"{"chunk_1-aa.wasm":[0,3],"survey_answer_route-cc.wasm":[3,8]}"#;
        let mut expected = (index.len() as u32).to_le_bytes().to_vec();
        expected.extend_from_slice(index);
        expected.extend_from_slice(&[1, 1, 1, 3, 3, 3, 3, 3]);
        assert_eq!(answering.bytes, expected);
        assert!(
            answering.name.starts_with("survey_answer_route-") && answering.name.ends_with(".bin")
        );

        let loader = bundles
            .rewrite_loader(LOADER, Path::new("loader.js"))
            .unwrap();
        // A module comes from any bundle that holds it; one that none holds, from its file.
        assert!(loader.contains(r#"const src = fromBundle("chunk_1-aa.wasm", [0,1]);"#));
        assert!(loader.contains(r#"const src = fromBundle("chunk_2-bb.wasm", [0]);"#));
        assert!(loader.contains(r#"const src = fromBundle("survey_answer_route-cc.wasm", [1]);"#));
        assert!(loader.contains(r#"fetch(new URL("./chunk_3-ee.wasm", import.meta.url))"#));
        // Loading a route starts its bundle; loading a lazy function starts none.
        assert!(loader.contains(
            "export const __wasm_split_load___survey_answer_route_view_1 = wrapAsyncCb(startingBundle(1, makeLoad(() => {"
        ));
        assert!(loader.contains(
            "export const __wasm_split_load___help_route_view_1 = wrapAsyncCb(startingBundle(0, makeLoad(() => {"
        ));
        assert!(loader.contains(", [__chunk_1])));\n"));
        assert!(loader.contains(", [__chunk_1, __chunk_2])));\n"));
        assert!(loader.contains(
            "export const __wasm_split_load_english_1 = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_3]));"
        ));
        assert!(loader.starts_with("import { initSync } from \"./frontend.js\";\n// xtask:"));
        assert!(loader.contains(&format!(
            "const bundleUrls = [\"./{}\",\"./{}\"];",
            bundles.0[0].name, answering.name
        )));
    }

    #[test]
    fn splits_are_named_as_their_budgets_name_them() {
        assert_eq!(
            split_label("__quarters_route_view_1792389624477734007"),
            "quarters_route"
        );
        assert_eq!(split_label("english_42"), "english");
        assert_eq!(
            chunk_label("split___audit_route_view_1792389624477734007"),
            "audit_route"
        );
        assert_eq!(chunk_label("chunk_7"), "chunk_7");
    }

    #[test]
    fn the_english_texts_files_are_named_for_boot_js() {
        let mut files = AppFiles {
            first: vec![],
            lazy: BTreeMap::from([
                (
                    "code_entry_page_9".to_owned(),
                    vec!["code-aa.wasm".to_owned()],
                ),
                (
                    "english_12".to_owned(),
                    vec!["english-bb.wasm".to_owned(), "chunk_3-cc.wasm".to_owned()],
                ),
            ]),
            bundled: BTreeMap::new(),
        };
        let link = |file: &str| {
            format!(
                "\n  <link rel=\"preload\" href=\"/assets/{file}\" as=\"fetch\" type=\"application/wasm\" crossorigin data-lang=\"en\">"
            )
        };
        assert_eq!(
            english_files(&files),
            link("english-bb.wasm") + &link("chunk_3-cc.wasm")
        );
        files.lazy.remove("english_12");
        assert_eq!(english_files(&files), "");
    }
}
