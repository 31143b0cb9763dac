use leptos::prelude::*;

use crate::prefs::use_texts;

/// The privacy notice in plain words: what is stored, why, who sees it, and the
/// reader's rights. Its version is `shared::accounts::PRIVACY_NOTICE_VERSION`.
#[component]
pub fn PrivacyNotice() -> impl IntoView {
    let t = use_texts();
    view! {
        <section class="privacy" aria-labelledby="privacy-title" data-testid="privacy-notice">
            <h2 id="privacy-title">{move || t().privacy.title}</h2>
            <p class="privacy__version">{move || t().privacy.version}</p>
            <h3>{move || t().privacy.what_title}</h3>
            <p>{move || t().privacy.what}</p>
            <h3>{move || t().privacy.why_title}</h3>
            <p>{move || t().privacy.why}</p>
            <h3>{move || t().privacy.who_title}</h3>
            <p>{move || t().privacy.who}</p>
            <h3>{move || t().privacy.rights_title}</h3>
            <p>{move || t().privacy.rights}</p>
        </section>
    }
}
