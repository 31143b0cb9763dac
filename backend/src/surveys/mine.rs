//! The surveys a signed-in resident can answer now, for their start page.

use std::collections::HashSet;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use shared::surveys::{MySurveyDto, SurveyStatus};
use time::OffsetDateTime;
use uuid::Uuid;

use super::stored::load_many;
use crate::auth::AuthUser;
use crate::entities::{survey, survey_participant, survey_quarter, survey_response};
use crate::error::ApiError;
use crate::startup::AppState;

/// Open surveys that target the caller's home quarter, soonest closing first, each with
/// whether they took part already. Without a home quarter: none. Only the caller's own
/// quarter is asked for, so surveys of other quarters never show up here.
pub async fn open_for(state: &AppState, me: &AuthUser) -> Result<Vec<MySurveyDto>, ApiError> {
    let Some(home) = me.user.home_quarter_id else {
        return Ok(Vec::new());
    };
    let conn = state.db.conn();
    let ids: Vec<Uuid> = survey_quarter::Entity::find()
        .select_only()
        .column(survey_quarter::Column::SurveyId)
        .filter(survey_quarter::Column::QuarterId.eq(home))
        .into_tuple()
        .all(conn)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let models = survey::Entity::find()
        .filter(survey::Column::Id.is_in(ids.iter().copied()))
        .filter(survey::Column::Status.eq(SurveyStatus::Open.as_str()))
        .all(conn)
        .await?;
    let now = OffsetDateTime::now_utc();
    let open: Vec<_> = load_many(conn, models)
        .await?
        .into_iter()
        .filter(|s| s.accepts_responses(now))
        .collect();
    let open_ids: Vec<Uuid> = open.iter().map(|s| s.model.id).collect();
    let answered = answered(state, me.id(), &open_ids).await?;
    let mut list: Vec<MySurveyDto> = open
        .into_iter()
        .map(|s| {
            let access = s.access();
            MySurveyDto {
                id: s.model.id,
                answered: answered.contains(&s.model.id),
                needs_code: !access.public_link && !access.signed_in,
                closes_at: s.model.closes_at,
                title: s.title,
            }
        })
        .collect();
    // Soonest closing first; surveys without an end after them.
    list.sort_by_key(|s| (s.closes_at.is_none(), s.closes_at));
    Ok(list)
}

/// Which of `ids` the person took part in: signed in (`survey_participants`), or in an
/// identified survey (their own response row). Anonymous answers by code or public link
/// are linked to nobody, so they cannot count here.
async fn answered(state: &AppState, user: Uuid, ids: &[Uuid]) -> Result<HashSet<Uuid>, ApiError> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let conn = state.db.conn();
    let mut found: HashSet<Uuid> = survey_participant::Entity::find()
        .select_only()
        .column(survey_participant::Column::SurveyId)
        .filter(survey_participant::Column::UserId.eq(user))
        .filter(survey_participant::Column::SurveyId.is_in(ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let identified: Vec<Uuid> = survey_response::Entity::find()
        .select_only()
        .column(survey_response::Column::SurveyId)
        .distinct()
        .filter(survey_response::Column::UserId.eq(user))
        .filter(survey_response::Column::SurveyId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    found.extend(identified);
    Ok(found)
}
