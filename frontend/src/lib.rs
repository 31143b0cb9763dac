//! Quartier's web app: Leptos, rendered in the browser, compiled to wasm.
//!
//! `index.html` shows a first paint inside `#app`; `boot.js` applies the stored
//! preferences and loads this module, whose [`start`] replaces the first paint
//! with the app.

// The answering app's build (feature `answer-app`) leaves the whole app out, and with
// it the only users of much that stays compiled (and is then dropped by the linker).
#![cfg_attr(feature = "answer-app", allow(dead_code, unused_imports))]

/// Calls a function that is a lazy part of the answering app only
/// (`#[cfg_attr(feature = "answer-app", leptos::lazy)]`): awaited there, where `#[lazy]`
/// has made it async; a plain call in the whole app, which stays as it was.
macro_rules! answering_lazily {
    ($call:expr) => {{
        #[cfg(feature = "answer-app")]
        let result = $call.await;
        #[cfg(not(feature = "answer-app"))]
        let result = $call;
        result
    }};
}

/// Items of the whole app only, left out of the answering app's build (feature
/// `answer-app`): its pages, and the pieces and texts that only they use.
macro_rules! whole_app {
    ($($item:item)*) => {$(
        #[cfg(not(feature = "answer-app"))]
        $item
    )*};
}

mod api;
mod app;
mod auth;
mod components;
mod download;
mod format;
mod i18n;
mod nav;
mod pages;
mod prefs;

use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::{JsCast, prelude::wasm_bindgen};

#[cfg(feature = "answer-app")]
pub use app::AnswerApp;
#[cfg(not(feature = "answer-app"))]
pub use app::App;

/// Entry point, run by wasm-bindgen when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    // The whole app, or with the feature `answer-app` the answering app of
    // `answer.html` (`cargo xtask build-web` builds both).
    #[cfg(not(feature = "answer-app"))]
    let app = App;
    #[cfg(feature = "answer-app")]
    let app = AnswerApp;
    let root = leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            let page_waits = root
                .query_selector("#first-paint-survey, #first-paint-code, #first-paint-login, #first-paint-register")
                .ok()
                .flatten()
                .is_some();
            if page_waits || reads_english() {
                keep_first_paint(&root);
                if !page_waits {
                    // The page itself is there at once; only its texts are awaited.
                    first_paint_done();
                }
            } else {
                // The first paint in index.html is only there until the app runs.
                root.set_text_content(None);
            }
            leptos::mount::mount_to(root, app).forget();
        }
        None => leptos::mount::mount_to_body(app),
    }
}

/// Whether `boot.js` chose English for the first paint: the app starts in German and
/// shows its pages only once its English texts (a lazy part) have arrived.
fn reads_english() -> bool {
    leptos::prelude::document()
        .document_element()
        .is_some_and(|html| html.get_attribute("lang").as_deref() == Some("en"))
}

/// Set on `<html>` while an answering page's first paint stands in for the app;
/// `style/main.css` hides `#app` meanwhile.
const WAITING: &str = "data-first-paint";
/// The longest the first paint stands in, whatever happens to the answering route.
const WAITING_AT_MOST: std::time::Duration = std::time::Duration::from_secs(20);
/// The longest the first paint waits for the app's English texts once the page is
/// there: should their download fail, the app shows in German rather than keep a
/// sign-in form from being sent.
const TEXTS_AT_MOST: std::time::Duration = std::time::Duration::from_secs(3);

/// The first paint still waits for the page to be on screen ([`first_paint_done`]).
static PAGE_PENDING: AtomicBool = AtomicBool::new(true);
/// The first paint still waits for the app's texts in the reader's language
/// ([`first_paint_texts_ready`]): `boot.js` already put the first paint into English,
/// and the app starts in German while its English texts arrive.
static TEXTS_PENDING: AtomicBool = AtomicBool::new(true);

/// An answering page's first paint (the survey's title and introduction, written by
/// the server) stays until the survey shows: the answering route's code arrives only
/// after the app has started, and on a slow phone the page was blank for seconds in
/// between. So does the code page's (its form works without the app) until the
/// answering app's code page, a lazy part, is there, and the sign-in and registration
/// pages' (forms filled in while the app arrives) until the app's are. For a reader of English, any first
/// paint (the start page, sign-in, or only the loading line) stays until the app's
/// English texts are there: the app would show its page in German meanwhile. The first
/// paint moves out of `#app` into `#first-paint`, and the app runs hidden until the page
/// calls [`first_paint_done`] (at once where only the texts are awaited) and its texts
/// are in the reader's language.
fn keep_first_paint(root: &web_sys::HtmlElement) {
    let document = leptos::prelude::document();
    let Ok(holder) = document.create_element("div") else {
        root.set_text_content(None);
        return;
    };
    holder.set_id("first-paint");
    while let Some(child) = root.first_child() {
        if holder.append_child(&child).is_err() {
            break;
        }
    }
    if root.before_with_node_1(&holder).is_err() {
        root.set_text_content(None);
        return;
    }
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute(WAITING, "");
    }
    leptos::prelude::set_timeout(stop_waiting, WAITING_AT_MOST);
}

/// The first paint has stood long enough: the app shows what it has. Without its
/// English texts that is German, and the page's language says so.
fn stop_waiting() {
    if TEXTS_PENDING.load(Ordering::Relaxed)
        && let Some(html) = leptos::prelude::document().document_element()
    {
        let _ = html.set_attribute("lang", "de");
    }
    end_first_paint();
}

/// The answering or code page is on screen: the first paint ends, once the texts are
/// in the reader's language too.
pub(crate) fn first_paint_done() {
    PAGE_PENDING.store(false, Ordering::Relaxed);
    end_first_paint_unless_pending();
    if TEXTS_PENDING.load(Ordering::Relaxed) && first_paint_stands() {
        leptos::prelude::set_timeout(stop_waiting, TEXTS_AT_MOST);
    }
}

/// The app's texts are in the reader's language (`prefs.rs`): an English reader, whose
/// first paint `boot.js` put into English, never sees the app's page in German.
pub(crate) fn first_paint_texts_ready() {
    TEXTS_PENDING.store(false, Ordering::Relaxed);
    end_first_paint_unless_pending();
}

fn end_first_paint_unless_pending() {
    if !PAGE_PENDING.load(Ordering::Relaxed) && !TEXTS_PENDING.load(Ordering::Relaxed) {
        end_first_paint();
    }
}

/// Whether a first paint stands in for the app: its texts' language is then the
/// `lang` of the page (`prefs.rs`).
pub(crate) fn first_paint_stands() -> bool {
    leptos::prelude::document()
        .document_element()
        .is_some_and(|html| html.has_attribute(WAITING))
}

thread_local! {
    /// What the page takes from the first paint as it ends ([`when_first_paint_ends`]).
    static ON_END: std::cell::RefCell<Option<Box<dyn FnOnce()>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `take` just before the first paint ends, while what was typed and chosen in it
/// can still be read (the survey's start screen, `answer.rs`): it may stand on after the
/// page has been built (for a reader of English, until the texts are there), and is
/// used meanwhile. Nothing runs where no first paint stands.
pub(crate) fn when_first_paint_ends(take: impl FnOnce() + 'static) {
    if first_paint_stands() {
        ON_END.with(|on_end| *on_end.borrow_mut() = Some(Box::new(take)));
    }
}

/// An input of the first paint, by its id: what was typed into it, and whether it has
/// the focus (the app's field should then have it).
pub(crate) fn first_paint_input(id: &str) -> Option<(String, bool)> {
    let document = leptos::prelude::document();
    let input = document
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?;
    let focused = document
        .active_element()
        .is_some_and(|active| active == **input);
    Some((input.value(), focused))
}

/// Ends the answering or code page's first paint (see [`keep_first_paint`]); does
/// nothing when there is none.
fn end_first_paint() {
    if let Some(take) = ON_END.with(|on_end| on_end.borrow_mut().take()) {
        take();
    }
    let document = leptos::prelude::document();
    if let Some(holder) = document.get_element_by_id("first-paint") {
        holder.remove();
    }
    if let Some(html) = document.document_element() {
        let _ = html.remove_attribute(WAITING);
    }
}
