//! The reader's display preferences: language, text size and contrast.
//!
//! They live in a context ([`Prefs`]) and are shown as attributes of `<html>`
//! (`lang`, `data-text-size`, `data-theme`), from which the stylesheet scales text
//! and picks colours.
//!
//! The device's own choices, made while nobody is signed in, are remembered in
//! `localStorage`; `boot.js` applies the same stored values before the wasm arrives,
//! so keys and values here and there must stay the same. While someone is signed in,
//! language and text size are theirs: taken from their account on sign-in (except
//! that a choice the device made wins over an account still at the default, see
//! [`merge`]), changed for the account only, and on sign-out the device's own
//! choices come back, so a shared phone does not keep the last person's settings.

use leptos::{prelude::*, task::spawn_local};
use shared::{Language, TextSize, Theme};

use crate::i18n::{self, DE, Texts};

/// `localStorage` key of the language: `de` or `en`.
pub const LANGUAGE_KEY: &str = "quartier.lang";
/// `localStorage` key of the text size: `normal`, `large` or `extra_large`.
pub const TEXT_SIZE_KEY: &str = "quartier.text_size";
/// `localStorage` key of the theme: `standard` or `high_contrast`.
pub const THEME_KEY: &str = "quartier.theme";

/// The preferences, shared through a context. Read the signals; change them
/// with the setters, which also remember the choice.
#[derive(Debug, Clone, Copy)]
pub struct Prefs {
    pub language: ReadSignal<Language>,
    pub text_size: ReadSignal<TextSize>,
    pub theme: ReadSignal<Theme>,
    set_language: WriteSignal<Language>,
    set_text_size: WriteSignal<TextSize>,
    set_theme: WriteSignal<Theme>,
    /// The English texts once their wasm chunk has arrived (see [`i18n::english`]).
    english: RwSignal<Option<&'static Texts>>,
    /// Someone is signed in: language and text size are their account's, not stored
    /// on the device.
    account: RwSignal<bool>,
}

impl Prefs {
    /// The texts to show: the chosen language's, or German while English loads.
    pub fn texts(&self) -> &'static Texts {
        match (self.language.get(), self.english.get()) {
            (Language::En, Some(english)) => english,
            _ => &DE,
        }
    }

    /// The language of [`Prefs::texts`]: numbers and dates shown beside the texts
    /// follow it.
    pub fn shown_language(&self) -> Language {
        match (self.language.get(), self.english.get()) {
            (Language::En, Some(_)) => Language::En,
            _ => Language::De,
        }
    }

    pub fn set_language(&self, language: Language) {
        self.set_language.set(language);
        if !self.account.get_untracked() {
            store(LANGUAGE_KEY, language.tag());
        }
    }

    pub fn set_text_size(&self, size: TextSize) {
        self.set_text_size.set(size);
        if !self.account.get_untracked() {
            store(TEXT_SIZE_KEY, size.as_str());
        }
    }

    /// On sign-in: the account's language and text size, unless this device chose
    /// otherwise while the account still has the default. Returns what the account
    /// should remember because the device's choice won.
    pub fn take_account(
        &self,
        language: Language,
        text_size: TextSize,
    ) -> (Option<Language>, Option<TextSize>) {
        let device_language = load(LANGUAGE_KEY).as_deref().and_then(stored_language);
        let device_size = load(TEXT_SIZE_KEY).as_deref().and_then(TextSize::parse);
        let (language, save_language) = merge(device_language, language);
        let (text_size, save_size) = merge(device_size, text_size);
        self.account.set(true);
        self.set_language.set(language);
        self.set_text_size.set(text_size);
        (
            save_language.then_some(language),
            save_size.then_some(text_size),
        )
    }

    /// On sign-out: back to the device's own choices (or the defaults).
    pub fn take_device(&self) {
        self.account.set(false);
        let browser_language = window().navigator().language();
        self.set_language.set(initial_language(
            load(LANGUAGE_KEY).as_deref(),
            browser_language.as_deref(),
        ));
        self.set_text_size
            .set(initial_text_size(load(TEXT_SIZE_KEY).as_deref()));
    }

    pub fn set_theme(&self, theme: Theme) {
        self.set_theme.set(theme);
        store(THEME_KEY, theme.as_str());
    }
}

/// Creates the preferences from what was remembered, keeps `<html>` in step with
/// them, and provides them as context for the whole app.
pub fn provide_prefs() -> Prefs {
    let browser_language = window().navigator().language();
    let (language, set_language) = signal(initial_language(
        load(LANGUAGE_KEY).as_deref(),
        browser_language.as_deref(),
    ));
    let (text_size, set_text_size) = signal(initial_text_size(load(TEXT_SIZE_KEY).as_deref()));
    let (theme, set_theme) = signal(initial_theme(load(THEME_KEY).as_deref()));
    let prefs = Prefs {
        language,
        text_size,
        theme,
        set_language,
        set_text_size,
        set_theme,
        english: RwSignal::new(None),
        account: RwSignal::new(false),
    };

    // English loads the first time it is chosen; the page stays German until then.
    Effect::new(move |_| {
        if language.get() == Language::En && prefs.english.get_untracked().is_none() {
            spawn_local(async move { prefs.english.set(Some(i18n::english().await)) });
        }
    });

    Effect::new(move |_| {
        let Some(root) = document().document_element() else {
            return;
        };
        let shown = prefs.shown_language();
        let ready = shown == language.get();
        // Setting an attribute only fails for invalid names; these are constant.
        // While a first paint stands in (`lib.rs`), it is what the page shows, in the
        // language `boot.js` chose; it waits for the texts in that language.
        if ready || !crate::first_paint_stands() {
            let _ = root.set_attribute("lang", shown.tag());
        }
        let _ = root.set_attribute("data-text-size", text_size.get().as_str());
        let _ = root.set_attribute("data-theme", theme.get().as_str());
        if ready {
            crate::first_paint_texts_ready();
        }
    });

    provide_context(prefs);
    prefs
}

/// The preferences provided by [`provide_prefs`].
pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}

/// The texts of the current language, as a function to call inside reactive views:
/// `move || t().home.title`.
pub fn use_texts() -> impl Fn() -> &'static Texts + Copy + Send + Sync + 'static {
    let prefs = use_prefs();
    move || prefs.texts()
}

/// The remembered language, else the browser's (`en…` is English, anything else German).
pub fn initial_language(stored: Option<&str>, browser: Option<&str>) -> Language {
    stored
        .and_then(stored_language)
        .unwrap_or_else(|| Language::from_tag(browser.unwrap_or_default()))
}

/// A stored language tag, exactly as [`Prefs::set_language`] stores it.
fn stored_language(tag: &str) -> Option<Language> {
    Language::ALL.into_iter().find(|l| l.tag() == tag)
}

/// The value to show after sign-in, and whether the account should remember it: a
/// choice made on this device (`device`, if any) wins over an account still at the
/// default, so text enlarged before signing in is not shrunk again; a choice the
/// account holds wins over the device's.
pub fn merge<T: Copy + PartialEq + Default>(device: Option<T>, account: T) -> (T, bool) {
    match device {
        Some(chosen) if account == T::default() && chosen != account => (chosen, true),
        _ => (account, false),
    }
}

pub fn initial_text_size(stored: Option<&str>) -> TextSize {
    stored.and_then(TextSize::parse).unwrap_or_default()
}

pub fn initial_theme(stored: Option<&str>) -> Theme {
    stored.and_then(Theme::parse).unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    // Storage can be switched off or throw (private mode); preferences then last
    // only for this visit.
    window().local_storage().ok().flatten()
}

pub(crate) fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub(crate) fn store(key: &str, value: &str) {
    if let Some(storage) = storage() {
        // A full or blocked storage only means the choice is not remembered.
        let _ = storage.set_item(key, value);
    }
}

pub(crate) fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_language_wins_over_the_browser() {
        assert_eq!(initial_language(Some("de"), Some("en-GB")), Language::De);
        assert_eq!(initial_language(Some("en"), Some("de-DE")), Language::En);
    }

    #[test]
    fn without_a_valid_remembered_language_the_browser_decides() {
        assert_eq!(initial_language(None, Some("en-US")), Language::En);
        assert_eq!(initial_language(Some("fr"), Some("en")), Language::En);
        assert_eq!(initial_language(None, Some("tr-TR")), Language::De);
        assert_eq!(initial_language(None, None), Language::De);
    }

    #[test]
    fn a_device_choice_wins_over_an_account_default_only() {
        // Enlarged before signing in, the account still "normal": stays large, saved.
        assert_eq!(
            merge(Some(TextSize::ExtraLarge), TextSize::Normal),
            (TextSize::ExtraLarge, true)
        );
        // The account chose large itself: its choice wins, nothing to save.
        assert_eq!(
            merge(Some(TextSize::Normal), TextSize::Large),
            (TextSize::Large, false)
        );
        assert_eq!(
            merge(Some(TextSize::ExtraLarge), TextSize::Large),
            (TextSize::Large, false)
        );
        // Nothing chosen on the device: the account's.
        assert_eq!(merge(None, TextSize::Large), (TextSize::Large, false));
        assert_eq!(merge(None, Language::De), (Language::De, false));
        assert_eq!(
            merge(Some(Language::En), Language::De),
            (Language::En, true)
        );
        assert_eq!(
            merge(Some(Language::De), Language::En),
            (Language::En, false)
        );
    }

    #[test]
    fn unknown_stored_values_fall_back_to_defaults() {
        assert_eq!(initial_text_size(Some("huge")), TextSize::Normal);
        assert_eq!(initial_text_size(Some("extra_large")), TextSize::ExtraLarge);
        assert_eq!(initial_theme(Some("dark")), Theme::Standard);
        assert_eq!(initial_theme(Some("high_contrast")), Theme::HighContrast);
        assert_eq!(initial_theme(None), Theme::Standard);
    }
}
