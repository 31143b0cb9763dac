//! A survey as stored, read back into the shared types, and who of the staff may see it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::de::DeserializeOwned;
use shared::surveys::{SurveyAccess, SurveyDefinition, SurveyDto, SurveyStatus, Text};
use time::OffsetDateTime;
use uuid::Uuid;

use super::counters::Layout;
use crate::auth::AuthUser;
use crate::entities::{survey, survey_quarter, survey_tally};
use crate::error::ApiError;
use crate::startup::AppState;

/// The counter question under which responses are counted per day.
pub const DAY: &str = "#day";

pub struct Stored {
    pub model: survey::Model,
    pub title: Text,
    pub intro: Text,
    pub definition: SurveyDefinition,
    pub quarter_ids: Vec<Uuid>,
    /// `model.status`, read once: an unknown value fails the read.
    status: SurveyStatus,
    /// The definition's counters, numbered when first needed (`layout`).
    layout: OnceLock<Arc<Layout>>,
}

pub fn from_json<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, ApiError> {
    // Deserialised from the borrowed value: no copy of the whole document per request.
    T::deserialize(value).map_err(|e| {
        ApiError::Internal(anyhow::Error::new(e).context("reading a stored survey document"))
    })
}

/// A response's answers as the JSON text stored in `survey_responses.answers`.
pub fn answers_json(answers: &shared::surveys::Answers) -> Result<String, ApiError> {
    serde_json::to_string(answers)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing the answers")))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing a survey document")))
}

impl Stored {
    /// The counters a response to this survey adds, numbered once per loaded survey (for
    /// the answering page's, once per cached copy).
    pub fn layout(&self) -> &Arc<Layout> {
        self.layout
            .get_or_init(|| Arc::new(Layout::of(&self.definition)))
    }

    pub fn stored_status(&self) -> SurveyStatus {
        self.status
    }

    /// The status people see: an open survey past its closing time is closed.
    pub fn status(&self, now: OffsetDateTime) -> SurveyStatus {
        match self.stored_status() {
            SurveyStatus::Open if self.model.closes_at.is_some_and(|c| c <= now) => {
                SurveyStatus::Closed
            }
            other => other,
        }
    }

    /// Open, and past its opening time.
    pub fn accepts_responses(&self, now: OffsetDateTime) -> bool {
        self.status(now) == SurveyStatus::Open && self.model.opens_at.is_none_or(|o| o <= now)
    }

    pub fn access(&self) -> SurveyAccess {
        SurveyAccess {
            public_link: self.model.access_public,
            codes: self.model.access_codes,
            signed_in: self.model.access_signed_in,
        }
    }

    pub fn version(&self) -> u32 {
        u32::try_from(self.model.version).unwrap_or(1)
    }

    pub fn dto(&self, responses: u64, now: OffsetDateTime) -> SurveyDto {
        SurveyDto {
            id: self.model.id,
            organisation_id: self.model.organisation_id,
            title: self.title.clone(),
            intro: self.intro.clone(),
            quarter_ids: self.quarter_ids.clone(),
            status: self.status(now),
            opens_at: self.model.opens_at,
            closes_at: self.model.closes_at,
            anonymous: self.model.anonymous,
            access: self.access(),
            profile_questions: self.model.profile_questions,
            definition: self.definition.clone(),
            version: self.version(),
            responses,
            missing_translations: u32::try_from(
                self.definition.missing_translations()
                    + usize::from(self.title.lacks_english())
                    + usize::from(self.intro.lacks_english()),
            )
            .unwrap_or(u32::MAX),
            updated_at: self.model.updated_at,
        }
    }
}

fn stored(model: survey::Model, quarter_ids: Vec<Uuid>) -> Result<Stored, ApiError> {
    let status = SurveyStatus::parse(&model.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "survey {} has an unknown status {:?}",
            model.id,
            model.status
        ))
    })?;
    Ok(Stored {
        status,
        title: from_json(&model.title)?,
        intro: from_json(&model.intro)?,
        definition: from_json(&model.definition)?,
        quarter_ids,
        model,
        layout: OnceLock::new(),
    })
}

/// Target quarters of each survey.
pub async fn quarters_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, ApiError> {
    let rows = survey_quarter::Entity::find()
        .filter(survey_quarter::Column::SurveyId.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    let mut map: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in rows {
        map.entry(row.survey_id).or_default().push(row.quarter_id);
    }
    for quarters in map.values_mut() {
        quarters.sort();
    }
    Ok(map)
}

pub async fn load<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Stored, ApiError> {
    let model = survey::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let quarters = quarters_of(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    stored(model, quarters)
}

pub async fn load_many<C: ConnectionTrait>(
    conn: &C,
    models: Vec<survey::Model>,
) -> Result<Vec<Stored>, ApiError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut quarters = quarters_of(conn, &ids).await?;
    models
        .into_iter()
        .map(|m| {
            let q = quarters.remove(&m.id).unwrap_or_default();
            stored(m, q)
        })
        .collect()
}

/// Stored responses per survey, from the tallies (no scan of the responses).
pub async fn response_counts<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, ApiError> {
    let rows: Vec<(Uuid, i64)> = survey_tally::Entity::find()
        .select_only()
        .column(survey_tally::Column::SurveyId)
        .column_as(Expr::cust("CAST(SUM(responses) AS BIGINT)"), "n")
        .filter(survey_tally::Column::SurveyId.is_in(ids.iter().copied()))
        .group_by(survey_tally::Column::SurveyId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// A survey as one member of staff may see it.
pub struct StaffView {
    pub survey: Stored,
    /// The survey's quarters this person may see (all of them for its admins).
    pub quarters: Vec<Uuid>,
    /// Admins of its organisation, and managers of every one of its quarters.
    pub can_edit: bool,
}

impl StaffView {
    /// Whether this person sees every quarter of the survey (and so also responses that
    /// name no quarter).
    pub fn sees_all(&self) -> bool {
        self.can_edit
    }
}

/// Loads a survey for a manager or admin. A survey none of whose quarters they may
/// see is "not found", exactly like a survey that does not exist.
pub async fn for_staff(state: &AppState, me: &AuthUser, id: Uuid) -> Result<StaffView, ApiError> {
    let survey = load(state.db.conn(), id).await?;
    if me.grants.is_admin_of(survey.model.organisation_id) {
        let quarters = survey.quarter_ids.clone();
        return Ok(StaffView {
            survey,
            quarters,
            can_edit: true,
        });
    }
    let managed = me.grants.managed_quarters();
    let quarters: Vec<Uuid> = survey
        .quarter_ids
        .iter()
        .copied()
        .filter(|q| managed.contains(q))
        .collect();
    if quarters.is_empty() {
        return Err(ApiError::NotFound);
    }
    let can_edit = quarters.len() == survey.quarter_ids.len();
    Ok(StaffView {
        survey,
        quarters,
        can_edit,
    })
}
