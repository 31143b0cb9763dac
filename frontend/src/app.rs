//! The app: preferences, layout and routes.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};

use crate::{
    components::{Footer, Header, SettingsPanel, SkipLink, focus_main},
    pages::{AboutPage, HomePage, NotFoundPage},
    prefs::provide_prefs,
};

#[component]
pub fn App() -> impl IntoView {
    provide_prefs();
    view! {
        <Router>
            <FocusOnNavigate />
            <SkipLink />
            <Header />
            <SettingsPanel />
            <main id="main" tabindex="-1" class="site-main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/about") view=AboutPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// After a navigation inside the app, puts the focus on `<main>`, as a page load
/// would put it at the top, so screen readers announce the new page and keyboard
/// users continue from there. Not on the first page load.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let pathname = use_location().pathname;
    Effect::new(move |previous: Option<String>| {
        let current = pathname.get();
        if previous.is_some_and(|previous| previous != current) {
            focus_main();
        }
        current
    });
}
