//! One component per page of the router.

// The answering app's pages and what they share with the whole app.
mod not_found;
mod survey;

#[cfg(feature = "answer-app")]
pub use not_found::LeaveForApp;
pub use not_found::NotFoundPage;
#[cfg(feature = "answer-app")]
pub use survey::LazyCodeEntryPage;
pub use survey::SurveyAnswerPage;
pub use survey::{AnswerTexts, texts as survey_texts};

/// Of the help pages, the answering app has only their texts: its help offer after a
/// survey names the needs with the categories' names (`help_texts::category_name`).
#[cfg(feature = "answer-app")]
mod help {
    pub mod texts;
}
pub use help::texts::{self as help_texts, HelpTexts};

whole_app! {
    mod about;
    mod accounts;
    mod contact;
    mod help;
    mod home;
    mod lazy;
    mod quarters;

    pub use about::AboutPage;
    pub use accounts::{
        AuditPage, InvitationPage, LoginPage, ManagersPage, MyDataPage, ProfilePage, RegisterPage,
        ResetPasswordPage, ResidentsPage,
    };
    use contact::OfficeContactPage;
    pub use contact::{ContactTexts, texts as contact_texts};
    use help::{HelpDeskPage, HelpPages};
    pub use home::HomePage;
    pub use lazy::{
        AuditRoute, CodeRoute, HelpDeskRoute, HelpRoute, InvitationRoute, ManagersRoute,
        MyDataRoute, OfficeContactRoute, ProfileRoute, QuartersRoute, ResidentsRoute,
        SurveyAnswerRoute, SurveyCodesRoute, SurveyEditorRoute, SurveyEntryRoute, SurveyListRoute,
        SurveyResultsRoute,
    };
    pub use quarters::QuartersPage;
    use survey::CodeEntryPage;
    pub use survey::authoring::{AuthoringTexts, texts as authoring_texts};
    use survey::authoring::{SurveyEditorPage, SurveyListPage};
    pub use survey::{OfficeTexts, office_texts};
    use survey::{SurveyCodesPage, SurveyEntryPage, SurveyResultsPage};
}
