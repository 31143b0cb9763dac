//! From a survey to help. A survey question (or a choice's option) can be marked as a
//! need; on the thank-you page a resident who said yes may — after a consent of its own —
//! open a request prefilled with that kind of help.
//!
//! The prefill comes from what the person's own browser holds, never from stored
//! responses. Only for an identified survey does the request name the survey, and then
//! the server checks that the caller's own response really says this need. A request
//! naming an anonymous survey is refused: such a response is not linked to anyone, and
//! a request that named the survey (with its time) could be joined back to it.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use shared::help::HelpCategory;
use shared::surveys::Answers;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::entities::survey_response;
use crate::error::ApiError;
use crate::startup::AppState;
use crate::surveys::stored;

const FIELD: &str = "from_survey";

/// Checks that `me` said they need `category` in their response to `survey_id`.
pub async fn check(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
    category: HelpCategory,
) -> Result<(), ApiError> {
    let survey = match stored::load(state.db.conn(), survey_id).await {
        Ok(survey) => survey,
        Err(ApiError::NotFound) => return Err(ApiError::field(FIELD, "unknown_survey")),
        Err(other) => return Err(other),
    };
    if survey.model.anonymous {
        return Err(ApiError::field(FIELD, "anonymous_survey"));
    }
    let documents: Vec<serde_json::Value> = survey_response::Entity::find()
        .select_only()
        .column(survey_response::Column::Answers)
        .filter(survey_response::Column::SurveyId.eq(survey_id))
        .filter(survey_response::Column::UserId.eq(me.id()))
        .into_tuple()
        .all(state.db.conn())
        .await?;
    if documents.is_empty() {
        return Err(ApiError::field(FIELD, "no_response"));
    }
    let said = documents.into_iter().any(|doc| {
        stored::from_json::<Answers>(&doc)
            .is_ok_and(|answers| survey.definition.needs(&answers).contains(&category))
    });
    if said {
        Ok(())
    } else {
        Err(ApiError::field(FIELD, "not_a_need"))
    }
}
