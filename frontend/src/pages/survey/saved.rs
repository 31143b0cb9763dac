//! What a person answering a survey has done so far, kept on the phone.
//!
//! Everyone's progress lives in `localStorage` under `quartier.survey.<id>`, written
//! on every change, so closing the page, a reload or a dropped connection loses
//! nothing. It also keeps the survey itself, so the page can be reloaded without a
//! connection (the app's files come from the service worker, `public/sw.js`), and
//! the key of a response that was sent but not yet confirmed: sending again uses the
//! same key, so the server stores it once however often it is retried.
//!
//! Signed-in people's progress is also kept on the server (`/draft`), so they can
//! continue on another device.

use serde::{Deserialize, Serialize};
use shared::{
    accounts::Uuid,
    surveys::{Answers, PublicSurveyDto, RespondentProfile, SurveyDraftDto},
};

/// Everything kept on the phone about one survey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// The survey as the server sent it (JSON), for answering without a connection.
    /// Kept as text: the app never needs to write a survey, only to read one.
    #[serde(default)]
    pub survey: Option<String>,
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub profile: RespondentProfile,
    /// The screen the person was on: `start`, a section's key, or `summary`.
    #[serde(default)]
    pub screen: Option<String>,
    /// The access code from the letter, as typed or linked.
    #[serde(default)]
    pub code: Option<String>,
    /// The key of a response that was sent and not yet confirmed.
    #[serde(default)]
    pub pending: Option<Uuid>,
}

impl Saved {
    /// Nothing answered yet.
    pub fn is_fresh(&self) -> bool {
        self.answers.is_empty() && self.screen.is_none() && self.pending.is_none()
    }

    /// The survey kept with the progress, if it can still be read.
    pub fn survey(&self) -> Option<PublicSurveyDto> {
        serde_json::from_str(self.survey.as_deref()?).ok()
    }

    /// The server's copy of a signed-in person's progress.
    pub fn to_draft(&self, position: u32) -> SurveyDraftDto {
        SurveyDraftDto {
            answers: self.answers.clone(),
            profile: self.profile,
            position,
        }
    }
}

fn key(survey: Uuid) -> String {
    format!("quartier.survey.{survey}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The progress kept for `survey`, if any (and readable).
pub fn load(survey: Uuid) -> Option<Saved> {
    let text = storage()?.get_item(&key(survey)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Keeps `saved`. Returns false when the phone would not keep it (storage blocked
/// or full); the page then says that answers last only while it is open.
pub fn store(survey: Uuid, saved: &Saved) -> bool {
    let Some(storage) = storage() else {
        return false;
    };
    match serde_json::to_string(saved) {
        Ok(text) => storage.set_item(&key(survey), &text).is_ok(),
        Err(_) => false,
    }
}

/// Forgets everything about `survey`: after a response arrived, nothing of it stays
/// on a phone that others may use.
pub fn forget(survey: Uuid) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(survey));
    }
}

/// A new random key (UUID v4) for a response, made by the browser's crypto.
pub fn new_response_key() -> Option<Uuid> {
    let crypto = web_sys::window()?.crypto().ok()?;
    Uuid::parse_str(&crypto.random_uuid()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::surveys::Answer;

    #[test]
    fn saved_progress_reads_back_as_written() {
        let mut saved = Saved {
            screen: Some("housing".into()),
            code: Some("TEE4-KAFE".into()),
            ..Saved::default()
        };
        saved
            .answers
            .insert("q1".into(), Answer::YesNo { value: true });
        let text = serde_json::to_string(&saved).unwrap();
        assert_eq!(serde_json::from_str::<Saved>(&text).unwrap(), saved);
        assert!(!saved.is_fresh());
    }

    #[test]
    fn older_saved_progress_without_new_fields_still_reads() {
        let saved: Saved = serde_json::from_str(r#"{"answers":{}}"#).unwrap();
        assert!(saved.is_fresh());
    }
}
