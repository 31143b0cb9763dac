//! Every text the web app shows, in German and English.
//!
//! Texts are plain `&'static str` fields of nested structs, one struct per area of
//! the app. `DE` and `EN` are constants of the same type, so a text missing in one
//! language does not compile. Texts with variable parts use `{name}` placeholders,
//! filled with [`fill`]; the unit tests below check that both languages use the same
//! placeholders, that no text is empty and that nothing was left untranslated.
//!
//! To add a text: add the field to its group here, then write it in `de.rs` and
//! `en.rs`. To add an area: add a group with `text_group!` and a field in [`Texts`].

mod de;
mod en;

pub use de::DE;
pub use en::EN;

use shared::{ErrorCode, Language};

/// Declares one group of texts, and (for the tests) a list of its entries.
macro_rules! text_group {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: &'static str,)*
        }

        impl $name {
            /// `(key, text)` for every text of the group.
            #[cfg(test)]
            fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }
    };
}

/// All texts of one language.
#[derive(Debug)]
pub struct Texts {
    pub app: AppTexts,
    pub nav: NavTexts,
    pub settings: SettingsTexts,
    pub home: HomeTexts,
    pub about: AboutTexts,
    pub not_found: NotFoundTexts,
    pub errors: ErrorTexts,
}

text_group!(
    /// Texts of the frame around every page.
    AppTexts {
        /// Name of the app, shown in the header and the window title.
        name,
        /// What the site is for, one line under the name.
        tagline,
        skip_link,
        footer,
    }
);

text_group!(
    /// Main navigation.
    NavTexts {
        /// Accessible name of the `<nav>`.
        label,
        home,
        about,
    }
);

text_group!(
    /// The settings panel: language, text size, contrast.
    SettingsTexts {
        title,
        language,
        text_size,
        text_size_normal,
        text_size_large,
        text_size_extra_large,
        contrast,
        high_contrast,
    }
);

text_group!(
    /// Home page.
    HomeTexts {
        title,
        intro,
        coming_title,
        surveys_title,
        surveys_text,
        help_title,
        help_text,
        settings_hint,
    }
);

text_group!(
    /// About page, with the server's health.
    AboutTexts {
        title,
        intro,
        system_title,
        loading,
        status,
        status_ok,
        status_degraded,
        version,
        database,
        database_sqlite,
        database_postgres,
        migration,
        /// Placeholders: `{applied}`, `{known}`.
        migration_count,
        migration_none,
    }
);

text_group!(
    /// Page shown for an unknown address.
    NotFoundTexts {
        title,
        text,
        home_link,
    }
);

text_group!(
    /// What went wrong, one text for each kind of failure.
    ErrorTexts {
        /// Label of the button that tries a failed request again.
        retry,
        network,
        unexpected_response,
        malformed_body,
        validation_failed,
        payload_too_large,
        unsupported_media_type,
        not_found,
        method_not_allowed,
        unauthenticated,
        forbidden,
        conflict,
        rate_limited,
        internal,
        unavailable,
    }
);

impl ErrorTexts {
    /// The message for a problem the server reported.
    pub fn for_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::MalformedBody => self.malformed_body,
            ErrorCode::ValidationFailed => self.validation_failed,
            ErrorCode::PayloadTooLarge => self.payload_too_large,
            ErrorCode::UnsupportedMediaType => self.unsupported_media_type,
            ErrorCode::NotFound => self.not_found,
            ErrorCode::MethodNotAllowed => self.method_not_allowed,
            ErrorCode::Unauthenticated => self.unauthenticated,
            ErrorCode::Forbidden => self.forbidden,
            ErrorCode::Conflict => self.conflict,
            ErrorCode::RateLimited => self.rate_limited,
            ErrorCode::Internal => self.internal,
            ErrorCode::Unavailable => self.unavailable,
        }
    }
}

impl Texts {
    /// The texts of a language.
    pub fn get(language: Language) -> &'static Texts {
        match language {
            Language::De => &DE,
            Language::En => &EN,
        }
    }

    /// `(group.key, text)` for every text.
    #[cfg(test)]
    fn entries(&self) -> Vec<(String, &'static str)> {
        let groups = [
            ("app", self.app.entries()),
            ("nav", self.nav.entries()),
            ("settings", self.settings.entries()),
            ("home", self.home.entries()),
            ("about", self.about.entries()),
            ("not_found", self.not_found.entries()),
            ("errors", self.errors.entries()),
        ];
        groups
            .into_iter()
            .flat_map(|(group, entries)| {
                entries
                    .into_iter()
                    .map(move |(key, text)| (format!("{group}.{key}"), text))
            })
            .collect()
    }
}

/// Name of a language in that language, so that people find their own
/// ("Deutsch", "English") whatever the page is currently shown in.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::De => "Deutsch",
        Language::En => "English",
    }
}

/// Replaces each `{name}` in `template` by its value from `args`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Texts that are rightly the same in both languages (names, symbols).
    const SAME_IN_BOTH: &[&str] = &[
        "app.name",
        "about.database_sqlite",
        "about.database_postgres",
    ];

    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    found.insert(&after[..end]);
                    rest = &after[end + 1..];
                }
                None => break,
            }
        }
        found
    }

    fn pairs() -> Vec<(String, &'static str, &'static str)> {
        let de = DE.entries();
        let en = EN.entries();
        assert_eq!(de.len(), en.len());
        de.into_iter()
            .zip(en)
            .map(|((key, de), (en_key, en))| {
                assert_eq!(key, en_key);
                (key, de, en)
            })
            .collect()
    }

    #[test]
    fn no_text_is_empty() {
        for (key, de, en) in pairs() {
            assert!(!de.trim().is_empty(), "German text {key} is empty");
            assert!(!en.trim().is_empty(), "English text {key} is empty");
        }
    }

    #[test]
    fn both_languages_use_the_same_placeholders() {
        for (key, de, en) in pairs() {
            assert_eq!(
                placeholders(de),
                placeholders(en),
                "placeholders of {key} differ"
            );
        }
    }

    #[test]
    fn every_text_is_translated() {
        for (key, de, en) in pairs() {
            if !SAME_IN_BOTH.contains(&key.as_str()) {
                assert_ne!(de, en, "{key} is the same in German and English");
            }
        }
    }

    #[test]
    fn allowlist_names_existing_texts() {
        let keys: Vec<String> = pairs().into_iter().map(|(key, _, _)| key).collect();
        for key in SAME_IN_BOTH {
            assert!(keys.iter().any(|k| k == key), "unknown key {key}");
        }
    }

    #[test]
    fn texts_are_tidy() {
        for (key, de, en) in pairs() {
            for text in [de, en] {
                assert_eq!(text, text.trim(), "{key} has surrounding spaces");
                assert!(!text.contains("  "), "{key} has a double space");
            }
        }
    }

    #[test]
    fn page_titles_are_the_agreed_ones() {
        assert_eq!(DE.home.title, "Willkommen in Ihrem Quartier");
        assert_eq!(EN.home.title, "Welcome to your neighbourhood");
        assert_eq!(DE.about.title, "Über Quartier");
        assert_eq!(EN.about.title, "About Quartier");
        assert_eq!(DE.not_found.title, "Seite nicht gefunden");
        assert_eq!(EN.not_found.title, "Page not found");
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(
            DE.about.migration_count,
            &[("applied", "3"), ("known", "4")],
        );
        assert!(text.contains('3') && text.contains('4'));
        assert!(placeholders(&text).is_empty());
    }

    #[test]
    fn get_picks_the_language() {
        assert_eq!(Texts::get(Language::De).home.title, DE.home.title);
        assert_eq!(Texts::get(Language::En).home.title, EN.home.title);
    }
}
