//! Surveys: answering (`/s/:id`, in the first download: it is what a letter's link
//! opens) and the pieces the staff pages reuse (question fields, the preview).

mod answer;
mod office;
mod question;
mod saved;
pub mod texts;

pub use answer::SurveyAnswerPage;
pub use office::{
    OfficeTexts, SurveyCodesPage, SurveyEntryPage, SurveyResultsPage, texts as office_texts,
};
pub use question::QuestionField;
pub use texts::AnswerTexts;
