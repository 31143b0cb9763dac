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

/// A small phone with large text, in which every checked page must reflow (no sideways
/// scrolling, WCAG 1.4.10) and show its heading on the first screen.
#[derive(Debug, Clone, Copy)]
pub struct LargeText {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    /// The app's own text size (`<html data-text-size>`).
    pub app_text_size: &'static str,
    /// The browser's default font size in px (16 is Chromium's default; 32 is what a
    /// phone's "text size 200 %" gives).
    pub browser_font_px: u32,
}

/// The layouts [`Page::check_a11y`] (and so every [`Page::goto`]) also checks.
pub const LARGE_TEXT_CHECKS: &[LargeText] = &[
    LargeText {
        name: "320×640, extra large app text",
        width: 320,
        height: 640,
        app_text_size: "extra_large",
        browser_font_px: 16,
    },
    LargeText {
        name: "320×640, browser text 200 %",
        width: 320,
        height: 640,
        app_text_size: "normal",
        browser_font_px: 32,
    },
];

/// Where a page's first heading is and whether the page is wider than the window.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub scroll_width: f64,
    pub client_width: f64,
    pub inner_height: f64,
    /// Top of the first `<h1>` in the document, in CSS px (none: no `<h1>`).
    pub h1_top: Option<f64>,
    /// Bottom of its first line.
    pub h1_first_line_bottom: Option<f64>,
    /// The first elements that stick out on the right, to find the cause.
    pub too_wide: Vec<String>,
    /// Table cells without a `data-label`: stacked as cards on a narrow screen, they
    /// would show a value without saying what it is.
    pub unlabelled: u32,
}

impl Layout {
    /// What a reader would notice: sideways scrolling, or a heading below the first screen.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.scroll_width > self.client_width {
            problems.push(format!(
                "the page scrolls sideways: {} px of content in a {} px window; too wide: {:?}",
                self.scroll_width, self.client_width, self.too_wide
            ));
        }
        match (self.h1_top, self.h1_first_line_bottom) {
            (Some(top), Some(bottom)) if bottom > self.inner_height => problems.push(format!(
                "the page's heading starts at {top:.0} px, its first line ends at {bottom:.0} px: \
                 below the first screen ({} px)",
                self.inner_height
            )),
            (None, _) | (_, None) => problems.push("the page has no <h1>".into()),
            _ => {}
        }
        if self.unlabelled > 0 {
            problems.push(format!(
                "{} table cell(s) without a data-label (the label of a stacked card)",
                self.unlabelled
            ));
        }
        problems
    }
}

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

    /// From now on keeps the text of each file the page offers as a download (a `Blob`
    /// it makes a URL of); [`Page::downloaded`] waits for the next one.
    pub async fn capture_downloads(&self) -> Result<()> {
        self.script::<bool>(
            "if (!window.__made) { window.__made = URL.createObjectURL;
               URL.createObjectURL = (blob) => {
                 blob.text().then(t => window.__saved = t);
                 return window.__made(blob);
               }; }
             window.__saved = null;
             return true;",
        )
        .await?;
        Ok(())
    }

    /// The text of the file offered since [`Page::capture_downloads`] (or the last call).
    pub async fn downloaded(&self, what: &str) -> Result<String> {
        let text = self
            .wait_for(what, || async {
                self.script::<Option<String>>("return window.__saved").await
            })
            .await?;
        self.script::<Value>("window.__saved = null; return null")
            .await?;
        Ok(text)
    }

    /// Sets a form control (found by CSS) as a person's choice would, with its events
    /// (for date and time inputs, which typing fills differently per locale).
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let found: bool = self
            .script_with(
                "const el = document.querySelector(arguments[0]);
                 if (!el) return false;
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', {bubbles: true}));
                 el.dispatchEvent(new Event('change', {bubbles: true}));
                 return true;",
                vec![json!(css), json!(value)],
            )
            .await?;
        anyhow::ensure!(found, "no element {css}");
        Ok(())
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

    /// Opens the disclosure behind the header button `button` (`menu-button` or
    /// `settings-button`) unless it is open, or the button is not shown (on a wide
    /// screen the navigation is a row, without a menu button).
    pub async fn open_header(&self, button: &str) -> Result<()> {
        // While a first paint stands in (e.g. after a reload in English, until the app's
        // English texts are there), the app's header is laid out but hidden: a click
        // would land on the first paint. A person waits for the real header; so does this.
        self.wait_for("the app to replace the first paint", || async {
            let standing: bool = self
                .script("return document.documentElement.hasAttribute('data-first-paint')")
                .await?;
            Ok((!standing).then_some(()))
        })
        .await?;
        // The header always has both buttons (CSS hides the menu's on a wide screen).
        self.by_test_id(button).await?;
        let closed: bool = self
            .script_with(
                "const b = document.querySelector(`[data-testid='${arguments[0]}']`);
                 return !!b && b.offsetParent !== null && b.getAttribute('aria-expanded') !== 'true';",
                vec![json!(button)],
            )
            .await?;
        if closed {
            self.click(button).await?;
        }
        Ok(())
    }

    /// Clicks a link or button of the header's navigation, through the menu button
    /// when the navigation is behind it, as a person on a phone would.
    pub async fn click_nav(&self, test_id: &str) -> Result<()> {
        self.open_header("menu-button").await?;
        self.click(test_id).await
    }

    /// Chooses a language, text size or contrast (`lang-en`, `text-size-large`,
    /// `theme-toggle`) in the header's settings, and closes them again.
    pub async fn choose_setting(&self, test_id: &str) -> Result<()> {
        self.open_header("settings-button").await?;
        self.click(test_id).await?;
        self.click("settings-button").await
    }

    /// "Signed in as …" from the header's menu (opened for reading, then closed).
    pub async fn signed_in_as(&self) -> Result<String> {
        self.by_test_id("signed-in-as").await?;
        self.open_header("menu-button").await?;
        let text = self.text("signed-in-as").await?;
        let open: bool = self
            .script("return document.querySelector('[data-testid=menu-button]')?.getAttribute('aria-expanded') === 'true'")
            .await?;
        if open {
            self.click("menu-button").await?;
        }
        Ok(text)
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

    /// The wasm files this page has fetched so far, without their content hashes, in
    /// the order they were asked for (`answer_bg.wasm`, `frontend_bg.wasm`, chunks).
    pub async fn fetched_wasm(&self) -> Result<Vec<String>> {
        self.script(
            "return performance.getEntriesByType('resource').map((e) => e.name)
               .filter((n) => /\\/assets\\/.*\\.(wasm|bin)$/.test(n))
               .map((n) => n.replace(/^.*\\/assets\\//, '').replace(/-[0-9a-f]+\\./, '.'));",
        )
        .await
    }

    /// Whether the wasm this page fetched is the answering app's alone: its module
    /// first, then at most its own lazy parts — the survey screens (fetched while the
    /// start screen shows), the offices' and the session's readers (once they have
    /// something to read), with the chunks they share — and nothing of the whole app.
    pub async fn fetched_the_answering_app_alone(&self) -> Result<(bool, Vec<String>)> {
        let fetched = self.fetched_wasm().await?;
        let screens = |f: &String| {
            [
                "section_screen.wasm",
                "summary_screen.wasm",
                "read_offices.wasm",
                "read_session.wasm",
                "read_me.wasm",
            ]
            .contains(&f.as_str())
                || (f.starts_with("chunk_") && f.ends_with(".wasm"))
        };
        let alone = fetched.first().map(String::as_str) == Some("answer_bg.wasm")
            && fetched[1..].iter().all(screens);
        Ok((alone, fetched))
    }

    /// The computed font size of the element with this `data-testid`, in CSS px.
    pub async fn font_size_px(&self, test_id: &str) -> Result<f64> {
        self.by_test_id(test_id).await?;
        // Looked up again in the same script: the app may have replaced the first
        // paint's element (same test id) since, which would leave a stale reference.
        let size: String = self
            .script_with(
                "return getComputedStyle(document.querySelector(`[data-testid=\"${arguments[0]}\"]`)).fontSize",
                vec![serde_json::Value::from(test_id)],
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

    /// Runs axe-core on the page and fails with a readable list of WCAG 2.2 A/AA
    /// violations; then checks the page's layout with large text on a small phone
    /// ([`LARGE_TEXT_CHECKS`], [`Page::check_large_text`]).
    pub async fn check_a11y(&self, context: &str) -> Result<()> {
        self.check_axe(context).await?;
        self.check_large_text(context).await
    }

    /// Where the first `<h1>` is and how wide the page is, as laid out now.
    pub async fn layout(&self) -> Result<Layout> {
        self.layout_in(None).await
    }

    /// [`Page::layout`] for a screen of `width` × `height` CSS px. A phone shows a
    /// page wider than its screen zoomed out (window.innerWidth grows with it), so the
    /// screen's own size is what the page must fit.
    async fn layout_in(&self, screen: Option<(u32, u32)>) -> Result<Layout> {
        let (width, height) =
            screen.map_or((Value::Null, Value::Null), |(w, h)| (json!(w), json!(h)));
        self.script_with(
            "const doc = document.documentElement;
             const h1 = document.querySelector('h1');
             let h1Top = null, h1FirstLineBottom = null;
             if (h1) {
               const r = h1.getBoundingClientRect();
               h1Top = r.top + window.scrollY;
               const range = document.createRange();
               range.selectNodeContents(h1);
               const first = range.getClientRects()[0] || r;
               h1FirstLineBottom = first.bottom + window.scrollY;
             }
             const scrollWidth = Math.max(doc.scrollWidth, document.body.scrollWidth);
             const clientWidth = Math.min(doc.clientWidth, arguments[0] ?? Infinity);
             const innerHeight = Math.min(window.innerHeight, arguments[1] ?? Infinity);
             const tooWide = scrollWidth <= clientWidth ? [] :
               [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > clientWidth + 0.5
                   && !(e.parentElement && e.parentElement.getBoundingClientRect().right > clientWidth + 0.5))
                 .slice(0, 5)
                 .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/ +/g, '.') : '')
                      + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '')
                      + ' right=' + Math.round(e.getBoundingClientRect().right));
             const unlabelled = document.querySelectorAll('main table td:not([data-label])').length;
             return { scrollWidth, clientWidth, innerHeight, h1Top, h1FirstLineBottom, tooWide, unlabelled };",
            vec![width, height],
        )
        .await
    }

    /// Lays the page out as in each of [`LARGE_TEXT_CHECKS`] (a 320 px phone with extra
    /// large app text, and with the browser's text at 200 %), and fails if it scrolls
    /// sideways or its first heading is not on the first screen. The page is put back
    /// as it was (viewport, text size) before returning.
    pub async fn check_large_text(&self, context: &str) -> Result<()> {
        let mut failures = Vec::new();
        for check in LARGE_TEXT_CHECKS {
            let layout = self.layout_with(check).await;
            match layout {
                Ok(layout) => failures.extend(
                    layout
                        .problems()
                        .into_iter()
                        .map(|p| format!("{context} at {}: {p}", check.name)),
                ),
                Err(e) => failures.push(format!("{context} at {}: {e:#}", check.name)),
            }
        }
        self.restore_layout().await?;
        if failures.is_empty() {
            Ok(())
        } else {
            bail!(failures.join("\n"))
        }
    }

    /// The page laid out in `check`'s window and text sizes (until [`Page::restore_layout`]).
    pub async fn layout_with(&self, check: &LargeText) -> Result<Layout> {
        let devtools = self.driver.cdp();
        devtools
            .send_raw(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": check.width, "height": check.height,
                        "deviceScaleFactor": 2, "mobile": true }),
            )
            .await
            .context("emulating a small phone")?;
        set_font_sizes(&devtools, check.browser_font_px).await?;
        self.script_with::<Value>(
            "const root = document.documentElement;
             if (root.dataset.checkedTextSize === undefined) {
               root.dataset.checkedTextSize = root.getAttribute('data-text-size') || '';
             }
             root.setAttribute('data-text-size', arguments[0]);
             return null;",
            vec![json!(check.app_text_size)],
        )
        .await?;
        self.settle().await?;
        self.layout_in(Some((check.width, check.height))).await
    }

    /// Undoes [`Page::layout_with`]: the test's viewport, text sizes and fonts.
    pub async fn restore_layout(&self) -> Result<()> {
        let devtools = self.driver.cdp();
        set_font_sizes(&devtools, 16).await?;
        if self.viewport.mobile {
            devtools
                .send_raw(
                    "Emulation.setDeviceMetricsOverride",
                    json!({ "width": self.viewport.width, "height": self.viewport.height,
                            "deviceScaleFactor": 2, "mobile": true }),
                )
                .await?;
        } else {
            devtools
                .send_raw("Emulation.clearDeviceMetricsOverride", json!({}))
                .await?;
        }
        self.script::<Value>(
            "const root = document.documentElement;
             if (root.dataset.checkedTextSize !== undefined) {
               const size = root.dataset.checkedTextSize;
               if (size) { root.setAttribute('data-text-size', size); }
               else { root.removeAttribute('data-text-size'); }
               delete root.dataset.checkedTextSize;
             }
             return null;",
        )
        .await?;
        self.settle().await
    }

    /// Waits two frames: layout, then what resize observers changed in it.
    async fn settle(&self) -> Result<()> {
        self.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(null), 0)));",
                Vec::new(),
            )
            .await
            .context("waiting for the layout")?;
        Ok(())
    }

    /// Runs axe-core on the page and fails with a readable list of WCAG 2.2 A/AA violations.
    pub async fn check_axe(&self, context: &str) -> Result<()> {
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

/// The browser's default font sizes (what `rem` and `em` start from), as a reader's
/// browser setting would change them.
async fn set_font_sizes(devtools: &thirtyfour::cdp::Cdp, standard_px: u32) -> Result<()> {
    devtools
        .send_raw(
            "Page.setFontSizes",
            json!({ "fontSizes": { "standard": standard_px, "fixed": standard_px * 13 / 16 } }),
        )
        .await
        .context("setting the browser's font size")?;
    Ok(())
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
