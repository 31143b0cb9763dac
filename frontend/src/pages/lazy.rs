//! The pages few visitors open: staff pages, the own profile, an invitation. Each
//! is loaded as its own wasm chunk on the first visit to its route (Leptos'
//! `#[lazy_route]`; `cargo xtask build-web` splits the wasm), so a resident who
//! answers a survey or signs in downloads none of them.
//!
//! The download budgets in `xtask/src/budgets.rs` name these routes by their
//! type (`QuartersRoute` is `quarters_route` there).

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use super::{
    AuditPage, CodeEntryPage, InvitationPage, ManagersPage, MyDataPage, OfficeContactPage,
    ProfilePage, QuartersPage, ResidentsPage, SurveyAnswerPage, SurveyEditorPage, SurveyListPage,
};
use super::{HelpDeskPage, HelpPages};
use super::{SurveyCodesPage, SurveyEntryPage, SurveyResultsPage};

/// A route type whose view, the page component, loads lazily. The pages fetch
/// their own data in resources, so the route's `data` is empty.
macro_rules! lazy_page {
    ($($(#[$meta:meta])* $route:ident => $page:ident,)*) => {$(
        $(#[$meta])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    /// `/profile`
    ProfileRoute => ProfilePage,
    /// `/profile/data`: the own data, readable and printable.
    MyDataRoute => MyDataPage,
    /// `/invitation` and `/invitation/:code`
    InvitationRoute => InvitationPage,
    /// `/admin/quarters`
    QuartersRoute => QuartersPage,
    /// `/admin/managers`
    ManagersRoute => ManagersPage,
    /// `/admin/audit`
    AuditRoute => AuditPage,
    /// `/admin/office`: the office's contact details.
    OfficeContactRoute => OfficeContactPage,
    /// `/manager/residents`
    ResidentsRoute => ResidentsPage,
    /// `/s/:id`: answering a survey. Its own chunk, so that home and sign-in do not
    /// carry the survey code.
    SurveyAnswerRoute => SurveyAnswerPage,
    /// `/code`: the access code from a letter, typed.
    CodeRoute => CodeEntryPage,
    /// `/manager/surveys`
    SurveyListRoute => SurveyListPage,
    /// `/manager/surveys/:id`: the editor and its preview.
    SurveyEditorRoute => SurveyEditorPage,
    /// `/manager/surveys/:id/codes`: access codes and letters.
    SurveyCodesRoute => SurveyCodesPage,
    /// `/manager/surveys/:id/entry`: typing in paper and telephone responses.
    SurveyEntryRoute => SurveyEntryPage,
    /// `/manager/surveys/:id/results`
    SurveyResultsRoute => SurveyResultsPage,
    /// `/help`, `/help/ask`, `/help/offer`, `/help/volunteer`: one chunk for the four
    /// pages of residents and volunteers. Each lazy route makes the splitter cut the
    /// code shared with other routes into more, smaller chunks, which compress worse
    /// and cost the answering page kilobytes; these pages share most of their code.
    HelpRoute => HelpPages,
    /// `/manager/help`: the managers' help desk.
    HelpDeskRoute => HelpDeskPage,
}
