use leptos::prelude::*;

use crate::{auth::use_auth, prefs::use_texts};

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
    view! {
        <h1 data-testid="page-title">{text}</h1>
        <PageNotice />
    }
}

/// A message left for this page by the one before, e.g. "you are signed out". Right
/// under the heading, not above it: at large text a notice above pushed the heading
/// off the first screen.
#[component]
pub fn PageNotice() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let pathname = crate::nav::pathname();
    view! {
        <div role="status" class="page-notice">
            {move || {
                auth.notice_for(&pathname.get())
                    .map(|text| {
                        view! {
                            <p class="notice notice--success" data-testid="page-notice">
                                {move || text(t())}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
