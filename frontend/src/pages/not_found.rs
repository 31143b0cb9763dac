use leptos::prelude::*;

use crate::{
    components::PageTitle,
    nav::{Link, path_now, search_now},
    prefs::use_texts,
};

/// Shown for any address the router does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="not-found" data-testid="not-found">
            <PageTitle text=move || t().not_found.title />
            <p>{move || t().not_found.text}</p>
            <p>
                <Link href="/">{move || t().not_found.home_link}</Link>
            </p>
        </div>
    }
}

/// The answering app's fallback (`crate::app::AnswerApp`): any other address is the
/// whole app's, so the page asks the server for it, in place of the address the
/// answering app was at. An answering address it does not know stays here (the
/// server would send the answering app again): not found.
#[component]
pub fn LeaveForApp() -> impl IntoView {
    let path = path_now();
    if path.starts_with("/s/") {
        return view! { <NotFoundPage /> }.into_any();
    }
    let search = search_now();
    let target = if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    };
    Effect::new(move |_| {
        let _ = window().location().replace(&target);
    });
    let t = use_texts();
    view! { <p class="loading" role="status">{move || t().forms.loading}</p> }.into_any()
}
