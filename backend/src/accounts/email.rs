//! One canonical form per e-mail address, and no look-alikes of someone else's.
//!
//! Registration, invitations, sign-in and password reset all pass a typed address through
//! `canonical` (NFKC, default-ignorable code points such as zero-width spaces and soft
//! hyphens removed, trimmed, lower case), so `ｅrna@…` or `er\u{200B}na@…` *is*
//! `erna@…` and meets the unique constraint. What is left and could still pass for another
//! address is refused by `lookalike`, with Unicode's own tables (UTS #39, `unicode-security`).

use unicode_normalization::UnicodeNormalization;
use unicode_security::{MixedScript, skeleton};

/// Unicode's Default_Ignorable_Code_Point property: exactly the characters UTS #39's
/// skeleton drops (a lone character's skeleton is otherwise never empty).
fn default_ignorable(c: char) -> bool {
    let mut buf = [0u8; 4];
    skeleton(c.encode_utf8(&mut buf)).next().is_none()
}

/// The form an address is stored, compared and rate-limited in.
pub fn canonical(raw: &str) -> String {
    let folded: String = raw
        .nfkc()
        .filter(|c| !default_ignorable(*c))
        .collect::<String>()
        .trim()
        .to_lowercase();
    // Lower-casing can leave a string that is not NFKC (rare); normalise once more.
    folded.nfkc().collect()
}

/// Whether one part of an address (local part or domain) could pass for another:
/// - it mixes scripts (Latin with a Cyrillic `о`);
/// - it is non-ASCII but looks entirely like ASCII (a wholly Cyrillic `аррӏе`);
/// - it has ASCII letters next to a non-ASCII letter that looks like one (a dotless `ı`).
fn part_is_lookalike(part: &str) -> bool {
    if part.is_ascii() {
        return false;
    }
    if !part.is_single_script() {
        return true;
    }
    if skeleton(part).all(|c| c.is_ascii()) {
        return true;
    }
    let has_ascii_letter = part.chars().any(|c| c.is_ascii_alphabetic());
    has_ascii_letter
        && part.chars().any(|c| {
            let mut buf = [0u8; 4];
            !c.is_ascii() && skeleton(c.encode_utf8(&mut buf)).all(|k| k.is_ascii())
        })
}

/// Whether a canonical address could be mistaken for a different one.
pub fn lookalike(canonical: &str) -> bool {
    match canonical.rsplit_once('@') {
        Some((local, domain)) => part_is_lookalike(local) || part_is_lookalike(domain),
        None => part_is_lookalike(canonical),
    }
}

/// `shared::email_problem` on the canonical form, plus look-alikes (`invalid_email`).
pub fn problem(canonical: &str) -> Option<&'static str> {
    shared::accounts::email_problem(canonical)
        .or_else(|| lookalike(canonical).then_some(shared::problem::field_code::INVALID_EMAIL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_compatibility_characters_fold_away() {
        for typed in [
            "erna@example.de",
            " ERNA@Example.de ",
            "er\u{200B}na@example.de",
            "er\u{00AD}na@example.de",
            "\u{FF45}rna@example.de",
            "erna@exa\u{2060}mple.de",
        ] {
            assert_eq!(canonical(typed), "erna@example.de", "{typed:?}");
        }
    }

    #[test]
    fn lookalikes_are_refused_and_real_addresses_are_not() {
        for bad in [
            "ern\u{043E}@example.de",
            "erna@ex\u{0430}mple.de",
            "f\u{0131}lm@example.de",
            "\u{0430}\u{0440}\u{0440}\u{04CF}\u{0435}@example.de",
        ] {
            assert!(lookalike(&canonical(bad)), "{bad:?}");
        }
        for good in [
            "erna@example.de",
            "jürgen.müller@straße.de",
            "иван@пример.рф",
            "o'neil+quartier@example.de",
        ] {
            assert!(!lookalike(&canonical(good)), "{good:?}");
        }
    }
}
