//! An organisation's contact details: the office residents call.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::email_problem;
use crate::surveys::Text;

/// Longest office name, street, second address line.
pub const MAX_LINE: usize = 200;
/// Longest opening hours text (per language).
pub const MAX_OPENING_HOURS: usize = 1000;
/// Longest legal notice (Impressum).
pub const MAX_LEGAL_NOTICE: usize = 5000;

/// `GET /api/v1/contacts`: one organisation's office. An organisation that has not
/// filled in its details yet has its name as `office_name` and everything else empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeContactDto {
    pub organisation_id: Uuid,
    pub office_name: String,
    /// Street and number.
    pub street: String,
    /// A second address line, e.g. "im Bürgerhaus, Erdgeschoss"; may be empty.
    pub address_extra: String,
    pub postcode: String,
    pub city: String,
    /// The telephone number as the office writes it, e.g. "030 555 01234"; may be empty.
    pub phone: String,
    /// `phone` as a `tel:` URI (RFC 3966, German numbers in international form),
    /// e.g. "tel:+493055501234"; `None` when there is no number.
    pub phone_uri: Option<String>,
    pub email: Option<String>,
    /// Free text per language; an empty English text means: show the German one.
    pub opening_hours: Text,
    /// The legal notice (Impressum) as plain text; may be empty.
    pub legal_notice: String,
    /// Where the full legal notice is published, if elsewhere.
    pub legal_notice_url: Option<String>,
}

/// `PUT /api/v1/organisations/{id}/contact` (admins of the organisation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeContactRequest {
    pub office_name: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub address_extra: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub opening_hours: Text,
    #[serde(default)]
    pub legal_notice: String,
    #[serde(default)]
    pub legal_notice_url: Option<String>,
}

impl OfficeContactRequest {
    /// Every invalid field as `(field, code)`; empty when the request may be stored.
    /// The web app runs the same checks before sending.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut problems = Vec::new();
        let too_long = |s: &str, max: usize| s.trim().chars().count() > max;
        if self.office_name.trim().is_empty() {
            problems.push(("office_name", "required"));
        } else if too_long(&self.office_name, MAX_LINE) {
            problems.push(("office_name", "too_long"));
        }
        for (field, value) in [
            ("street", &self.street),
            ("address_extra", &self.address_extra),
        ] {
            if too_long(value, MAX_LINE) {
                problems.push((field, "too_long"));
            }
        }
        if let Some(code) = postcode_problem(&self.postcode) {
            problems.push(("postcode", code));
        }
        if too_long(&self.city, 100) {
            problems.push(("city", "too_long"));
        }
        if let Some(code) = phone_problem(&self.phone) {
            problems.push(("phone", code));
        }
        if let Some(email) = self.email.as_deref().filter(|e| !e.trim().is_empty())
            && let Some(code) = email_problem(email)
        {
            problems.push(("email", code));
        }
        if too_long(&self.opening_hours.de, MAX_OPENING_HOURS) {
            problems.push(("opening_hours.de", "too_long"));
        }
        if too_long(&self.opening_hours.en, MAX_OPENING_HOURS) {
            problems.push(("opening_hours.en", "too_long"));
        }
        if too_long(&self.legal_notice, MAX_LEGAL_NOTICE) {
            problems.push(("legal_notice", "too_long"));
        }
        if let Some(url) = self
            .legal_notice_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            && let Some(code) = url_problem(url)
        {
            problems.push(("legal_notice_url", code));
        }
        problems
    }
}

/// A German postcode: five digits, or nothing.
fn postcode_problem(postcode: &str) -> Option<&'static str> {
    let postcode = postcode.trim();
    let ok = postcode.is_empty()
        || (postcode.len() == 5 && postcode.chars().all(|c| c.is_ascii_digit()));
    (!ok).then_some("invalid_postcode")
}

/// The office's number is required: digits, spaces and `+ - / ( )`, 5 to 20 digits.
pub fn phone_problem(phone: &str) -> Option<&'static str> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Some("required");
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-/()".contains(c));
    (!allowed || !(5..=20).contains(&digits) || phone.chars().count() > 40)
        .then_some("invalid_phone")
}

fn url_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    if url.chars().count() > 500 {
        return Some("too_long");
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !url.chars().any(char::is_whitespace) => None,
        _ => Some("invalid_url"),
    }
}

/// `phone` as a `tel:` URI that a phone dials from anywhere: `030 555-0123` becomes
/// `tel:+49305550123`, `+49 (0)30 555 0123` the same, `0049 30 …` too. A number
/// without a leading 0 or + (a local number) stays as it is. `None` without digits.
pub fn tel_uri(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let international = phone.starts_with('+');
    // "+49 (0)30": the (0) is dialled only from inside the country.
    let phone = if international {
        phone.replacen("(0)", "", 1)
    } else {
        phone.to_owned()
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(if international {
        format!("tel:+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("tel:+{rest}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("tel:+49{rest}")
    } else {
        format!("tel:{digits}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_numbers_become_international_tel_uris() {
        let expected = Some("tel:+49305550123".to_owned());
        assert_eq!(tel_uri("030 555-0123"), expected);
        assert_eq!(tel_uri("(030) 555 01 23"), expected);
        assert_eq!(tel_uri("030 / 555 0123"), expected);
        assert_eq!(tel_uri("+49 (0)30 555 0123"), expected);
        assert_eq!(tel_uri("+49 30 5550123"), expected);
        assert_eq!(tel_uri("0049 30 5550123"), expected);
        assert_eq!(tel_uri("5550123"), Some("tel:5550123".to_owned()));
        assert_eq!(tel_uri("  "), None);
    }

    fn valid() -> OfficeContactRequest {
        OfficeContactRequest {
            office_name: "Quartiersbüro Nord".into(),
            street: "Marktstraße 12".into(),
            postcode: "12345".into(),
            city: "Musterstadt".into(),
            phone: "030 555 0123".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_office_is_valid() {
        assert_eq!(valid().problems(), vec![]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let request = OfficeContactRequest {
            office_name: " ".into(),
            postcode: "1234".into(),
            phone: "call us".into(),
            email: Some("nope".into()),
            legal_notice_url: Some("javascript:alert(1)".into()),
            opening_hours: Text::new(&"x".repeat(1001), ""),
            ..valid()
        };
        assert_eq!(
            request.problems(),
            vec![
                ("office_name", "required"),
                ("postcode", "invalid_postcode"),
                ("phone", "invalid_phone"),
                ("email", "invalid_email"),
                ("opening_hours.de", "too_long"),
                ("legal_notice_url", "invalid_url"),
            ]
        );
        let no_phone = OfficeContactRequest {
            phone: String::new(),
            ..valid()
        };
        assert_eq!(no_phone.problems(), vec![("phone", "required")]);
    }
}
