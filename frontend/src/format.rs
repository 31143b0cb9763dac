//! Dates and times for people: in their language and their time zone (the browser's).

use shared::{Language, accounts::Timestamp};
use wasm_bindgen::JsValue;

/// E.g. "27. November 2026 um 14:05" / "27 November 2026 at 14:05".
pub fn date_time(at: Timestamp, language: Language) -> String {
    let millis = (at.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = js_sys::Date::new(&JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale(language), &options).into()
}

fn locale(language: Language) -> &'static str {
    match language {
        Language::De => "de-DE",
        Language::En => "en-GB",
    }
}
