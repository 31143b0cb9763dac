use leptos::prelude::*;

use crate::prefs::use_texts;

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <p>{move || t().app.tagline}</p>
            <p>{move || t().app.footer}</p>
        </footer>
    }
}
