use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::{Viewport, env_path};

/// How long the app may take to show what a test waits for.
const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);

/// The WCAG levels the app promises: 2.2 A and AA (BITV 2.0).
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// The app in the browser, as a test sees it. Cheap to clone.
#[derive(Clone)]
pub struct Page {
    driver: WebDriver,
    base_url: Arc<str>,
    viewport: Viewport,
}

impl Page {
    pub(crate) fn new(driver: WebDriver, base_url: String, viewport: Viewport) -> Page {
        Page {
            driver,
            base_url: base_url.into(),
            viewport,
        }
    }

    pub fn driver(&self) -> &WebDriver {
        &self.driver
    }

    /// `http://127.0.0.1:PORT` of the server under test.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Absolute URL of a path on the server under test.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Loads a path, waits for the app to render, and checks the page with axe-core.
    pub async fn goto(&self, path: &str) -> Result<()> {
        self.driver
            .goto(self.url(path))
            .await
            .with_context(|| format!("opening {path}"))?;
        self.wait_rendered().await?;
        self.assert_viewport().await?;
        self.check_a11y(&format!("page {path}")).await
    }

    /// The layout viewport must be the one the test asked for (a page without
    /// `<meta name=viewport>` would be laid out 980 px wide on a phone).
    async fn assert_viewport(&self) -> Result<()> {
        let width: u32 = self.script("return window.innerWidth").await?;
        if width != self.viewport.width {
            bail!(
                "the page is laid out {width} CSS px wide, not {}",
                self.viewport.width
            );
        }
        Ok(())
    }

    /// Reloads the page and waits for the app (no axe run: the page was checked before).
    pub async fn reload(&self) -> Result<()> {
        self.driver.refresh().await.context("reloading")?;
        self.wait_rendered().await
    }

    /// Waits until the wasm app has started and shows a page title.
    pub async fn wait_rendered(&self) -> Result<()> {
        self.wait_for("the app to render a page title", || async {
            let ready: bool = self
                .script(
                    "return document.readyState === 'complete' \
                     && !!document.querySelector('[data-testid=page-title]')",
                )
                .await?;
            Ok(ready.then_some(()))
        })
        .await
    }

    /// Polls `probe` until it returns `Some`, or fails after [`WAIT`] naming `what`.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let started = Instant::now();
        loop {
            let last_error = match probe().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => None,
                Err(e) => Some(e),
            };
            if started.elapsed() > WAIT {
                return Err(match last_error {
                    Some(e) => e.context(format!("timed out waiting for {what}")),
                    None => anyhow!("timed out after {WAIT:?} waiting for {what}"),
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs JavaScript and converts its return value.
    pub async fn script<T: serde::de::DeserializeOwned>(&self, js: &str) -> Result<T> {
        self.script_with(js, Vec::new()).await
    }

    pub async fn script_with<T: serde::de::DeserializeOwned>(
        &self,
        js: &str,
        args: Vec<Value>,
    ) -> Result<T> {
        let ret = self
            .driver
            .execute(js, args)
            .await
            .with_context(|| format!("running script `{}`", short(js)))?;
        serde_json::from_value(ret.json().clone())
            .with_context(|| format!("unexpected result {} of `{}`", ret.json(), short(js)))
    }

    /// The element with this `data-testid`, once it exists.
    pub async fn by_test_id(&self, test_id: &str) -> Result<WebElement> {
        let by = By::Css(format!("[data-testid='{test_id}']"));
        self.wait_for(&format!("[data-testid={test_id}]"), || async {
            Ok(self.driver.find_all(by.clone()).await?.into_iter().next())
        })
        .await
    }

    pub async fn click(&self, test_id: &str) -> Result<()> {
        let element = self.by_test_id(test_id).await?;
        element.scroll_into_view().await?;
        element
            .click()
            .await
            .with_context(|| format!("clicking [data-testid={test_id}]"))
    }

    /// The element `field` inside the element `scope` (both `data-testid`s), once it exists.
    pub async fn within(&self, scope: &str, field: &str) -> Result<WebElement> {
        let by = By::Css(format!("[data-testid='{scope}'] [data-testid='{field}']"));
        self.wait_for(
            &format!("[data-testid={field}] in [data-testid={scope}]"),
            || async { Ok(self.driver.find_all(by.clone()).await?.into_iter().next()) },
        )
        .await
    }

    /// Types `value` into the input `field` of the form `form`, replacing what was there.
    pub async fn fill(&self, form: &str, field: &str, value: &str) -> Result<()> {
        let input = self.within(form, field).await?;
        input.scroll_into_view().await?;
        input.clear().await?;
        input
            .send_keys(value)
            .await
            .with_context(|| format!("typing into {field} of {form}"))
    }

    /// Clicks the element `field` inside `scope` (e.g. a form's `submit` button).
    pub async fn click_in(&self, scope: &str, field: &str) -> Result<()> {
        let element = self.within(scope, field).await?;
        element.scroll_into_view().await?;
        element
            .click()
            .await
            .with_context(|| format!("clicking {field} in {scope}"))
    }

    /// Whether an element with this `data-testid` is on the page right now.
    pub async fn exists(&self, test_id: &str) -> Result<bool> {
        let by = By::Css(format!("[data-testid='{test_id}']"));
        Ok(!self.driver.find_all(by).await?.is_empty())
    }

    /// The text a reader sees in the element with this `data-testid`.
    pub async fn text(&self, test_id: &str) -> Result<String> {
        Ok(self
            .by_test_id(test_id)
            .await?
            .text()
            .await?
            .trim()
            .to_owned())
    }

    /// Waits until the element's text is `expected`; returns what it last was on timeout.
    pub async fn wait_text(&self, test_id: &str, expected: &str) -> Result<()> {
        let last = Mutex::new(String::new());
        let waited = self
            .wait_for(
                &format!("[data-testid={test_id}] to read {expected:?}"),
                || async {
                    let text = self.text(test_id).await?;
                    let done = text == expected;
                    *lock(&last) = text;
                    Ok(done.then_some(()))
                },
            )
            .await;
        waited.with_context(|| format!("[data-testid={test_id}] reads {:?}", lock(&last)))
    }

    /// An attribute of `<html>`, e.g. `lang` or `data-theme`.
    pub async fn html_attr(&self, name: &str) -> Result<Option<String>> {
        self.script_with(
            "return document.documentElement.getAttribute(arguments[0])",
            vec![json!(name)],
        )
        .await
    }

    /// Waits until `<html>` has the attribute with this value.
    pub async fn wait_html_attr(&self, name: &str, expected: &str) -> Result<()> {
        let last = Mutex::new(None);
        let waited = self
            .wait_for(&format!("<html {name}={expected:?}>"), || async {
                let value = self.html_attr(name).await?;
                let done = value.as_deref() == Some(expected);
                *lock(&last) = value;
                Ok(done.then_some(()))
            })
            .await;
        waited.with_context(|| format!("<html {name}> is {:?}", lock(&last)))
    }

    /// The computed font size of the element with this `data-testid`, in CSS px.
    pub async fn font_size_px(&self, test_id: &str) -> Result<f64> {
        let element = self.by_test_id(test_id).await?;
        let size: String = self
            .script_with(
                "return getComputedStyle(arguments[0]).fontSize",
                vec![element.to_json()?],
            )
            .await?;
        size.trim_end_matches("px")
            .parse()
            .with_context(|| format!("font size {size:?} of [data-testid={test_id}]"))
    }

    /// Scales all text the way a reader's "text size 200 %" does: the root font size,
    /// which every `rem` in the stylesheet follows, becomes `percent` % of what it was.
    /// (Scripts run through WebDriver are not subject to the page's CSP.)
    pub async fn set_text_zoom(&self, percent: u32) -> Result<()> {
        self.script_with::<Value>(
            "const root = document.documentElement;
             const px = parseFloat(getComputedStyle(root).fontSize);
             root.style.fontSize = (px * arguments[0] / 100) + 'px';
             return null;",
            vec![json!(percent)],
        )
        .await?;
        // Let layout catch up before anyone measures.
        self.script::<Value>("return new Promise(r => requestAnimationFrame(() => r(null)))")
            .await?;
        Ok(())
    }

    /// Fails if the page can be scrolled sideways (WCAG 1.4.10 Reflow).
    pub async fn assert_no_horizontal_scroll(&self) -> Result<()> {
        let (scroll_width, inner_width): (f64, f64) = self
            .script(
                "return [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), \
                 window.innerWidth]",
            )
            .await?;
        if scroll_width > inner_width {
            let culprits: Vec<String> = self
                .script(
                    "return [...document.querySelectorAll('body *')] \
                       .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5) \
                       .slice(0, 5) \
                       .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') \
                            + ' right=' + Math.round(e.getBoundingClientRect().right))",
                )
                .await?;
            bail!(
                "the page scrolls sideways: {scroll_width} px of content in a {inner_width} px window; \
                 too wide: {culprits:?}"
            );
        }
        Ok(())
    }

    /// Presses Tab once, as a keyboard user would.
    pub async fn press_tab(&self) -> Result<()> {
        self.driver
            .action_chain()
            .send_keys(Key::Tab)
            .perform()
            .await
            .context("pressing Tab")
    }

    /// Tag, `href`, and text of the focused element.
    pub async fn focused(&self) -> Result<Focused> {
        self.script(
            "const e = document.activeElement;
             const r = e.getBoundingClientRect();
             return { tag: e.tagName.toLowerCase(), href: e.getAttribute('href'),
                      text: (e.innerText || '').trim(), visible: r.width > 0 && r.height > 0 };",
        )
        .await
    }

    /// Runs axe-core on the page and fails with a readable list of WCAG 2.2 A/AA violations.
    pub async fn check_a11y(&self, context: &str) -> Result<()> {
        let loaded: bool = self
            .script("return typeof window.axe !== 'undefined'")
            .await?;
        if !loaded {
            self.driver
                .execute(axe_source()?.as_str(), Vec::new())
                .await
                .context("injecting axe-core")?;
        }
        let result = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 // Colours caught mid-transition (e.g. a theme switch) are not what a reader sees.
                 const settled = Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})));
                 const atMost = new Promise(r => setTimeout(r, 5000));
                 Promise.race([settled, atMost])
                   .then(() => axe.run(document, { runOnly: { type: 'tag', values: arguments[0] },
                                                   resultTypes: ['violations'] }))
                   .then(r => done({ violations: r.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                       nodes: v.nodes.map(n => ({ target: n.target.map(String), summary: n.failureSummary || '' })),
                   })) }))
                   .catch(e => done({ error: String(e) }));",
                vec![json!(AXE_TAGS)],
            )
            .await
            .context("running axe-core")?;
        let report: AxeReport =
            serde_json::from_value(result.json().clone()).context("reading axe-core's result")?;
        if let Some(error) = report.error {
            bail!("axe-core failed on {context}: {error}");
        }
        if report.violations.is_empty() {
            return Ok(());
        }
        let mut message = format!(
            "{} accessibility violation(s) on {context}:",
            report.violations.len()
        );
        for v in &report.violations {
            message.push_str(&format!(
                "\n- {} [{}]: {} ({})",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.help_url
            ));
            for node in v.nodes.iter().take(5) {
                message.push_str(&format!("\n    at {}", node.target.join(" ")));
                if let Some(first) = node.summary.lines().nth(1) {
                    message.push_str(&format!(": {}", first.trim()));
                }
            }
            if v.nodes.len() > 5 {
                message.push_str(&format!("\n    … and {} more", v.nodes.len() - 5));
            }
        }
        bail!(message)
    }
}

/// The element that has the keyboard focus.
#[derive(Debug, Deserialize)]
pub struct Focused {
    pub tag: String,
    pub href: Option<String>,
    pub text: String,
    pub visible: bool,
}

#[derive(Deserialize)]
struct AxeReport {
    #[serde(default)]
    violations: Vec<AxeViolation>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AxeViolation {
    id: String,
    impact: Option<String>,
    help: String,
    help_url: String,
    nodes: Vec<AxeNode>,
}

#[derive(Deserialize)]
struct AxeNode {
    target: Vec<String>,
    summary: String,
}

/// axe-core's source, read once per test process.
fn axe_source() -> Result<Arc<String>> {
    static SOURCE: OnceLock<Arc<String>> = OnceLock::new();
    if let Some(src) = SOURCE.get() {
        return Ok(src.clone());
    }
    let path = env_path("QUARTIER_AXE_JS", ".tools/node_modules/axe-core/axe.min.js");
    let src = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading axe-core from {} (set QUARTIER_AXE_JS or run `cargo xtask test`)",
            path.display()
        )
    })?;
    Ok(SOURCE.get_or_init(|| Arc::new(src)).clone())
}

/// Locks a mutex that a panicking holder cannot have left inconsistent (it holds plain data).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn short(js: &str) -> String {
    let one_line = js.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}
