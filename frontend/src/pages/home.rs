use leptos::prelude::*;
use leptos_router::components::A;

use crate::{components::PageTitle, prefs::use_texts};

/// What Quartier is and what is coming. Links only to pages that exist.
#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().home.title />
        <p class="lead">{move || t().home.intro}</p>
        <section class="coming" aria-labelledby="coming-title">
            <h2 id="coming-title">{move || t().home.coming_title}</h2>
            <ul class="cards">
                <li class="card">
                    <h3>{move || t().home.surveys_title}</h3>
                    <p>{move || t().home.surveys_text}</p>
                    <p><A href="/code" attr:data-testid="home-code-link">{move || t().home.code_link}</A></p>
                </li>
                <li class="card">
                    <h3>{move || t().home.help_title}</h3>
                    <p>{move || t().home.help_text}</p>
                </li>
            </ul>
        </section>
        <p class="hint">{move || t().home.settings_hint}</p>
    }
}
