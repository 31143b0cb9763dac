use leptos::prelude::*;
use shared::{Language, TextSize, Theme, accounts::UpdateProfileRequest};

use crate::{
    auth::{remember_preference, use_auth},
    i18n::language_name,
    prefs::{use_prefs, use_texts},
};

/// Language, text size and contrast, behind one button in the header (which
/// controls `open`), so they do not fill the first screen. Each choice is a toggle
/// button with `aria-pressed`; the panel stays open to show what a choice did.
/// Built when opened, not before: every page's start has less to run (on a slow
/// phone, each function the wasm runs for the first time is compiled then).
#[component]
pub fn SettingsPanel(open: RwSignal<bool>) -> impl IntoView {
    let t = use_texts();
    view! {
        <Show when=move || open.get()>
            <section
                id="settings"
                class="settings"
                data-testid="settings"
                aria-labelledby="settings-title"
            >
                <h2 id="settings-title" class="settings__title">
                    {move || t().settings.title}
                </h2>
                <div class="settings__groups">
                    <LanguageChoice />
                    <TextSizeChoice />
                    <ContrastChoice />
                </div>
            </section>
        </Show>
    }
}

fn pressed(on: bool) -> &'static str {
    if on { "true" } else { "false" }
}

#[component]
fn LanguageChoice() -> impl IntoView {
    let prefs = use_prefs();
    let auth = use_auth();
    let t = use_texts();
    // Preferences are per user: a signed-in choice is remembered with the account.
    let choose = move |language: Language| {
        prefs.set_language(language);
        let change = UpdateProfileRequest {
            language: Some(language),
            ..Default::default()
        };
        remember_preference(auth, change);
    };
    let buttons = Language::ALL
        .into_iter()
        .map(|language| {
            view! {
                <button
                    type="button"
                    class="choice"
                    lang=language.tag()
                    data-testid=format!("lang-{}", language.tag())
                    aria-pressed=move || pressed(prefs.language.get() == language)
                    on:click=move |_| choose(language)
                >
                    {language_name(language)}
                </button>
            }
        })
        .collect_view();
    view! {
        <fieldset class="settings__group">
            <legend>{move || t().settings.language}</legend>
            <div class="choices">{buttons}</div>
        </fieldset>
    }
}

#[component]
fn TextSizeChoice() -> impl IntoView {
    let prefs = use_prefs();
    let auth = use_auth();
    let t = use_texts();
    let choose = move |size: TextSize| {
        prefs.set_text_size(size);
        let change = UpdateProfileRequest {
            text_size: Some(size),
            ..Default::default()
        };
        remember_preference(auth, change);
    };
    let buttons = TextSize::ALL
        .into_iter()
        .map(|size| {
            view! {
                <button
                    type="button"
                    class="choice choice--text-size"
                    data-testid=format!("text-size-{}", size.as_str())
                    aria-pressed=move || pressed(prefs.text_size.get() == size)
                    on:click=move |_| choose(size)
                >
                    // A letter "A" in growing sizes (drawn by CSS), then the word.
                    <span
                        class=format!("choice__sample choice__sample--{}", size.as_str())
                        aria-hidden="true"
                    ></span>
                    <span>{move || t().settings.text_size_label(size)}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <fieldset class="settings__group">
            <legend>{move || t().settings.text_size}</legend>
            <div class="choices">{buttons}</div>
        </fieldset>
    }
}

#[component]
fn ContrastChoice() -> impl IntoView {
    let prefs = use_prefs();
    let t = use_texts();
    let high = move || prefs.theme.get() == Theme::HighContrast;
    let toggle = move |_| {
        prefs.set_theme(if prefs.theme.get_untracked() == Theme::HighContrast {
            Theme::Standard
        } else {
            Theme::HighContrast
        })
    };
    view! {
        <fieldset class="settings__group">
            <legend>{move || t().settings.contrast}</legend>
            <div class="choices">
                <button
                    type="button"
                    class="choice"
                    data-testid="theme-toggle"
                    aria-pressed=move || pressed(high())
                    on:click=toggle
                >
                    {move || t().settings.high_contrast}
                </button>
            </div>
        </fieldset>
    }
}
