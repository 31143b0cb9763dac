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

/// Decimals shown of a number someone typed (an answer, a question's limit): more
/// than anyone types.
pub const TYPED_PLACES: u32 = 6;

/// A number that may have decimals, as the language writes it: "2,5" in German, "2.5"
/// in English, rounded to at most `places` decimals, without trailing zeros and without
/// thousands separators, so that a person can type it back as it stands
/// (`parse_number` in the survey pages reads both commas and points).
///
/// Written with integers, which bound the decimals and put in the language's decimal
/// mark; Rust's float formatting knows neither (its code is in the app anyway, for
/// serde's error messages).
pub fn decimal(n: f64, places: u32, language: Language) -> String {
    let point = match language {
        Language::De => ',',
        Language::En => '.',
    };
    let places = places.min(9);
    let unit = 10u64.pow(places);
    let scaled = (n.abs() * unit as f64).round();
    // Beyond what 64 bits count in units of the last decimal, decimals no longer
    // matter: the whole number, as Rust writes it (its float formatting is in the app
    // anyway, for serde's messages; 128-bit integers would add their own).
    if scaled.is_nan() || scaled >= u64::MAX as f64 {
        return format!("{}", n.round());
    }
    let sign = if n < 0.0 && scaled > 0.0 { "-" } else { "" };
    let scaled = scaled as u64;
    let (whole, mut fraction) = (scaled / unit, scaled % unit);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let mut digits = places as usize;
    while fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    format!("{sign}{whole}{point}{fraction:0digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_per_language() {
        assert_eq!(decimal(2.5, 6, Language::De), "2,5");
        assert_eq!(decimal(2.5, 6, Language::En), "2.5");
        assert_eq!(decimal(15.0, 6, Language::De), "15");
        assert_eq!(decimal(1000.0, 6, Language::De), "1000");
        assert_eq!(decimal(0.05, 6, Language::De), "0,05");
        assert_eq!(decimal(-0.75, 6, Language::En), "-0.75");
        assert_eq!(decimal(1.0 / 3.0, 6, Language::En), "0.333333");
        assert_eq!(decimal(3.456, 1, Language::De), "3,5");
        assert_eq!(decimal(2.96, 1, Language::De), "3");
        assert_eq!(decimal(-0.04, 1, Language::De), "0");
        assert_eq!(
            decimal(1e30, 6, Language::En),
            "1000000000000000000000000000000"
        );
    }

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
