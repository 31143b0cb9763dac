//! Surveys: answering (`/s/:id`, what a letter's link opens), typing a letter's code
//! (`/code`), the managers' authoring pages, and the pieces they share (question
//! fields, the answering flow as the editor's preview).

mod answer;
mod code;
mod question;
mod saved;
pub mod texts;

pub use answer::SurveyAnswerPage;
pub use code::CodeEntryPage;
#[cfg(feature = "answer-app")]
pub use code::LazyCodeEntryPage;
pub(crate) use question::parse_number;
pub(crate) use saved::new_response_key as new_key;
pub use texts::AnswerTexts;

whole_app! {
    pub mod authoring;
    mod office;

    pub use answer::Answering;
    pub use office::{
        OfficeTexts, SurveyCodesPage, SurveyEntryPage, SurveyResultsPage, texts as office_texts,
    };
    pub use question::QuestionField;
}
