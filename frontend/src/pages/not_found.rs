use leptos::prelude::*;
use leptos_router::components::A;

use crate::{components::PageTitle, prefs::use_texts};

/// Shown for any address the router does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="not-found" data-testid="not-found">
            <PageTitle text=move || t().not_found.title />
            <p>{move || t().not_found.text}</p>
            <p>
                <A href="/">{move || t().not_found.home_link}</A>
            </p>
        </div>
    }
}
