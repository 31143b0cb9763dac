//! Files the app hands to the person: a `blob:` URL on a temporary `<a download>`.
//! A navigation, not a fetch, so the CSP's `connect-src` does not apply.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a download named `name`, of type `mime`.
pub fn save_file(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document()
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    web_sys::Url::revoke_object_url(&url)
}
