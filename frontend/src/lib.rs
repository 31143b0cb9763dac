//! Quartier's web app: Leptos, rendered in the browser, compiled to wasm.
//!
//! `index.html` shows a first paint inside `#app`; `boot.js` applies the stored
//! preferences and loads this module, whose [`start`] replaces the first paint
//! with the app.

mod api;
mod app;
mod auth;
mod components;
mod download;
mod format;
mod i18n;
mod pages;
mod prefs;

use wasm_bindgen::{JsCast, prelude::wasm_bindgen};

pub use app::App;

/// Entry point, run by wasm-bindgen when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let root = leptos::prelude::document()
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => {
            // The first paint in index.html is only there until the app runs.
            root.set_text_content(None);
            leptos::mount::mount_to(root, App).forget();
        }
        None => leptos::mount::mount_to_body(App),
    }
}
