//! Survey authoring for the neighbourhood office: the list (`/manager/surveys`) and
//! the editor with its preview (`/manager/surveys/:id`). Both load as their own wasm
//! chunks (`pages/lazy.rs`); the preview is the answering page itself.

mod editor;
mod fields;
mod list;
mod questions;
pub mod texts;
mod time;

pub use editor::SurveyEditorPage;
pub use list::SurveyListPage;
pub use texts::AuthoringTexts;

use leptos::prelude::*;
use shared::{quarters::QuarterDto, surveys::Text as Content};

use crate::{auth::Auth, prefs::use_prefs};

/// A text of the authoring pages as a view: `ui(|a| a.save)`. One closure type for
/// all of them, which keeps the wasm small.
pub(crate) fn ui(
    text: fn(&'static AuthoringTexts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let t = crate::prefs::use_texts();
    move || text(&t().authoring)
}

/// A survey's text (content) in the reader's language, German where English is missing.
pub(crate) fn lang_text(text: Content) -> impl Fn() -> String + Send + Sync + 'static {
    let prefs = use_prefs();
    move || text.get(prefs.language.get()).to_owned()
}

/// The quarters the signed-in person may target with a survey.
pub(crate) fn managed_quarters(auth: Auth, all: Vec<QuarterDto>) -> Vec<QuarterDto> {
    all.into_iter()
        .filter(|q| auth.may_edit_quarter(q.id, q.organisation_id))
        .collect()
}
