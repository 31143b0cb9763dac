//! Numbers, dates and times for people: in their language and their time zone (the
//! browser's).

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

/// A whole number with thousands grouped as the language writes them: "4.200" in
/// German, "4,200" in English. Written out here rather than through `Intl`, so it is
/// the same in every browser and tested natively.
pub fn number(n: impl Into<i64>, language: Language) -> String {
    let n: i64 = n.into();
    let separator = match language {
        Language::De => '.',
        Language::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_per_language() {
        assert_eq!(number(4200, Language::De), "4.200");
        assert_eq!(number(4200, Language::En), "4,200");
        assert_eq!(number(1_234_567, Language::De), "1.234.567");
        assert_eq!(number(999, Language::De), "999");
        assert_eq!(number(0, Language::En), "0");
        assert_eq!(number(-12_000, Language::De), "-12.000");
    }
}
