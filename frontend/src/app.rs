//! The app: preferences, session, layout and routes.

use leptos::prelude::*;
#[cfg(not(feature = "answer-app"))]
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    auth::{provide_auth, use_auth},
    components::{Footer, Header, SkipLink, focus_main_at_top, provide_offices},
    prefs::provide_prefs,
};
// The whole app's pages. Left out of the answering app's build: their lazy parts are
// exported from the wasm, which would keep them (and all they use) in it.
#[cfg(not(feature = "answer-app"))]
use crate::pages::{
    AboutPage, AuditRoute, CodeRoute, HelpDeskRoute, HelpRoute, HomePage, InvitationRoute,
    LoginPage, ManagersRoute, MyDataRoute, NotFoundPage, OfficeContactRoute, ProfileRoute,
    QuartersRoute, RegisterPage, ResetPasswordPage, ResidentsRoute, SurveyAnswerRoute,
    SurveyCodesRoute, SurveyEditorRoute, SurveyEntryRoute, SurveyListRoute, SurveyResultsRoute,
};
#[cfg(feature = "answer-app")]
use crate::pages::{LazyCodeEntryPage, LeaveForApp, SurveyAnswerPage};
#[cfg(not(feature = "answer-app"))]
use leptos_router::Lazy;

#[cfg(not(feature = "answer-app"))]
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/about") view=AboutPage />
                <Route path=path!("/register") view=RegisterPage />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/reset-password") view=ResetPasswordPage />
                <Route path=path!("/s/:id") view={Lazy::<SurveyAnswerRoute>::new()} />
                <Route path=path!("/code") view={Lazy::<CodeRoute>::new()} />
                // The rest load as their own wasm chunks on the first visit (pages/lazy.rs).
                <Route path=path!("/invitation") view={Lazy::<InvitationRoute>::new()} />
                <Route path=path!("/invitation/:code") view={Lazy::<InvitationRoute>::new()} />
                <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} />
                <Route path=path!("/profile/data") view={Lazy::<MyDataRoute>::new()} />
                <Route path=path!("/admin/quarters") view={Lazy::<QuartersRoute>::new()} />
                <Route path=path!("/admin/managers") view={Lazy::<ManagersRoute>::new()} />
                <Route path=path!("/admin/audit") view={Lazy::<AuditRoute>::new()} />
                <Route path=path!("/admin/office") view={Lazy::<OfficeContactRoute>::new()} />
                <Route path=path!("/manager/residents") view={Lazy::<ResidentsRoute>::new()} />
                <Route path=path!("/manager/surveys") view={Lazy::<SurveyListRoute>::new()} />
                <Route path=path!("/manager/surveys/:id") view={Lazy::<SurveyEditorRoute>::new()} />
                <Route path=path!("/manager/surveys/:id/codes") view={Lazy::<SurveyCodesRoute>::new()} />
                <Route path=path!("/manager/surveys/:id/entry") view={Lazy::<SurveyEntryRoute>::new()} />
                <Route path=path!("/manager/surveys/:id/results") view={Lazy::<SurveyResultsRoute>::new()} />
                <Route path=path!("/help") view={Lazy::<HelpRoute>::new()} />
                <Route path=path!("/help/ask") view={Lazy::<HelpRoute>::new()} />
                <Route path=path!("/help/offer") view={Lazy::<HelpRoute>::new()} />
                <Route path=path!("/help/volunteer") view={Lazy::<HelpRoute>::new()} />
                <Route path=path!("/manager/help") view={Lazy::<HelpDeskRoute>::new()} />
            </Routes>
        </Shell>
    }
}

/// The answering app: what a letter leads to (`answer.html`, built with the feature
/// `answer-app`): its link (`/s/…`) and the page for typing its code (`/code`). The
/// same layout and pages as [`App`], without the rest of the app, so that someone
/// answering from a letter downloads a fifth less, in one wasm. Any other address is
/// the whole app's, loaded from the server ([`LeaveForApp`]).
///
/// It has no router (see `nav.rs`): its address is read once and decides the page.
#[cfg(feature = "answer-app")]
#[component]
pub fn AnswerApp() -> impl IntoView {
    let path = crate::nav::path_now();
    view! {
        <Shell>
            {if path.starts_with("/s/") {
                view! { <SurveyAnswerPage /> }.into_any()
            } else if path.trim_end_matches('/') == "/code" {
                view! { <LazyCodeEntryPage /> }.into_any()
            } else {
                view! { <LeaveForApp /> }.into_any()
            }}
        </Shell>
    }
}

/// What both apps have around their routes: preferences, session, the offices'
/// contact details, the router, and the layout (skip link, header, `<main>`, footer).
#[component]
fn Shell(children: Children) -> impl IntoView {
    provide_prefs();
    let auth = provide_auth();
    provide_offices(auth);
    let layout = move || {
        view! {
            <FocusOnNavigate />
            <SkipLink />
            <Header />
            <main id="main" tabindex="-1" class="site-main">
                {children()}
            </main>
            <Footer />
        }
    };
    #[cfg(not(feature = "answer-app"))]
    let layout = view! { <Router>{layout()}</Router> };
    #[cfg(feature = "answer-app")]
    let layout = layout();
    layout
}

/// After a navigation inside the app, shows the new page from its top and puts the
/// focus on `<main>`, as a page load would, so screen readers announce the new page
/// and keyboard users continue from there. Not on the first page load.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let pathname = crate::nav::pathname();
    let auth = use_auth();
    Effect::new(move |previous: Option<String>| {
        let current = pathname.get();
        auth.clear_notice_unless(&current);
        if previous.is_some_and(|previous| previous != current) {
            focus_main_at_top();
        }
        current
    });
}
