use leptos::prelude::*;

use crate::{components::OfficePhones, prefs::use_texts};

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <p>{move || t().app.tagline}</p>
            <OfficePhones testid="footer-office" />
            <p>{move || t().app.footer}</p>
        </footer>
    }
}
