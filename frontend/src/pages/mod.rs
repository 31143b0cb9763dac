//! One component per page of the router.

#[cfg(not(feature = "answer-app"))]
mod about;
mod accounts;
mod contact;
mod help;
#[cfg(not(feature = "answer-app"))]
mod home;
#[cfg(not(feature = "answer-app"))]
mod lazy;
mod not_found;
mod quarters;
mod survey;

#[cfg(not(feature = "answer-app"))]
pub use about::AboutPage;
pub use accounts::{
    AuditPage, InvitationPage, LoginPage, ManagersPage, MyDataPage, ProfilePage, RegisterPage,
    ResetPasswordPage, ResidentsPage,
};
use contact::OfficeContactPage;
pub use contact::{ContactTexts, texts as contact_texts};
use help::{HelpDeskPage, HelpPages};
pub use help::{HelpTexts, texts as help_texts};
#[cfg(not(feature = "answer-app"))]
pub use home::HomePage;
#[cfg(not(feature = "answer-app"))]
pub use lazy::{
    AuditRoute, CodeRoute, InvitationRoute, ManagersRoute, MyDataRoute, OfficeContactRoute,
    ProfileRoute, QuartersRoute, ResidentsRoute, SurveyAnswerRoute, SurveyEditorRoute,
    SurveyListRoute,
};
#[cfg(not(feature = "answer-app"))]
pub use lazy::{HelpDeskRoute, HelpRoute};
#[cfg(not(feature = "answer-app"))]
pub use lazy::{SurveyCodesRoute, SurveyEntryRoute, SurveyResultsRoute};
#[cfg(feature = "answer-app")]
pub use not_found::LeaveForApp;
pub use not_found::NotFoundPage;
pub use quarters::QuartersPage;
use survey::CodeEntryPage;
#[cfg(feature = "answer-app")]
pub use survey::LazyCodeEntryPage;
pub use survey::SurveyAnswerPage;
pub use survey::authoring::{AuthoringTexts, texts as authoring_texts};
use survey::authoring::{SurveyEditorPage, SurveyListPage};
pub use survey::{AnswerTexts, texts as survey_texts};
pub use survey::{OfficeTexts, office_texts};
use survey::{SurveyCodesPage, SurveyEntryPage, SurveyResultsPage};
