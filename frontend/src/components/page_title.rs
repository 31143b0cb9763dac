use leptos::prelude::*;

use crate::prefs::use_texts;

/// The `<h1>` of a page; also sets the window title to match, in the current language.
#[component]
pub fn PageTitle<F>(text: F) -> impl IntoView
where
    F: Fn() -> &'static str + Copy + Send + Sync + 'static,
{
    let t = use_texts();
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", text(), t().app.name));
    });
    view! { <h1 data-testid="page-title">{text}</h1> }
}
