//! Surveys: answering (`/s/:id`, in the first download: it is what a letter's link
//! opens) and the pieces the staff pages reuse (question fields, the preview).

mod answer;
pub mod authoring;
mod question;
mod saved;
pub mod texts;

pub use answer::{Answering, SurveyAnswerPage};
pub(crate) use question::{number as number_text, parse_number};
pub use texts::AnswerTexts;
