//! One component per page of the router.

mod about;
mod accounts;
mod contact;
mod help;
mod home;
mod lazy;
mod not_found;
mod quarters;
mod survey;

pub use about::AboutPage;
pub use accounts::{
    AuditPage, InvitationPage, LoginPage, ManagersPage, MyDataPage, ProfilePage, RegisterPage,
    ResetPasswordPage, ResidentsPage,
};
use contact::OfficeContactPage;
pub use contact::{ContactTexts, texts as contact_texts};
use help::{HelpDeskPage, HelpPages};
pub use help::{HelpTexts, texts as help_texts};
pub use home::HomePage;
pub use lazy::{
    AuditRoute, CodeRoute, InvitationRoute, ManagersRoute, MyDataRoute, OfficeContactRoute,
    ProfileRoute, QuartersRoute, ResidentsRoute, SurveyAnswerRoute, SurveyEditorRoute,
    SurveyListRoute,
};
pub use lazy::{HelpDeskRoute, HelpRoute};
pub use lazy::{SurveyCodesRoute, SurveyEntryRoute, SurveyResultsRoute};
pub use not_found::NotFoundPage;
pub use quarters::QuartersPage;
pub use survey::authoring::{AuthoringTexts, texts as authoring_texts};
use survey::authoring::{SurveyEditorPage, SurveyListPage};
pub use survey::{AnswerTexts, texts as survey_texts};
use survey::{CodeEntryPage, SurveyAnswerPage};
pub use survey::{OfficeTexts, office_texts};
use survey::{SurveyCodesPage, SurveyEntryPage, SurveyResultsPage};
