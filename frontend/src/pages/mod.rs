//! One component per page of the router.

mod about;
mod accounts;
mod home;
mod lazy;
mod not_found;
mod quarters;
mod survey;

pub use about::AboutPage;
pub use accounts::{
    AuditPage, InvitationPage, LoginPage, ManagersPage, ProfilePage, RegisterPage,
    ResetPasswordPage, ResidentsPage,
};
pub use home::HomePage;
pub use lazy::{
    AuditRoute, InvitationRoute, ManagersRoute, ProfileRoute, QuartersRoute, ResidentsRoute,
    SurveyAnswerRoute,
};
pub use lazy::{SurveyCodesRoute, SurveyEntryRoute, SurveyResultsRoute};
pub use not_found::NotFoundPage;
pub use quarters::QuartersPage;
use survey::SurveyAnswerPage;
pub use survey::{AnswerTexts, texts as survey_texts};
pub use survey::{OfficeTexts, office_texts};
use survey::{SurveyCodesPage, SurveyEntryPage, SurveyResultsPage};
