//! Creating, changing, opening and closing surveys (managers of its quarters, admins).

use std::collections::BTreeSet;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use shared::surveys::{
    QuestionKind, SurveyDefinition, SurveyDto, SurveyRequest, SurveyStatus, SurveySummaryDto, Text,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::stored::{self, Stored, for_staff, response_counts, to_json};
use crate::auth::AuthUser;
use crate::entities::{quarter, survey, survey_quarter, survey_version};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

/// The surveys this person may see: all of their organisations' and those aimed at a
/// quarter they manage. Newest first.
pub async fn list(state: &AppState, me: &AuthUser) -> Result<Vec<SurveySummaryDto>, ApiError> {
    let conn = state.db.conn();
    let managed = me.grants.managed_quarters();
    let via_quarters: Vec<Uuid> = if managed.is_empty() {
        Vec::new()
    } else {
        survey_quarter::Entity::find()
            .filter(survey_quarter::Column::QuarterId.is_in(managed))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| r.survey_id)
            .collect()
    };
    let models = survey::Entity::find()
        .filter(
            Condition::any()
                .add(survey::Column::OrganisationId.is_in(me.grants.admin_of()))
                .add(survey::Column::Id.is_in(via_quarters)),
        )
        .order_by_desc(survey::Column::CreatedAt)
        .all(conn)
        .await?;
    let surveys = stored::load_many(conn, models).await?;
    let ids: Vec<Uuid> = surveys.iter().map(|s| s.model.id).collect();
    let counts = response_counts(conn, &ids).await?;
    let now = OffsetDateTime::now_utc();
    Ok(surveys
        .into_iter()
        .map(|s| SurveySummaryDto {
            id: s.model.id,
            title: s.title.clone(),
            status: s.status(now),
            quarter_ids: s.quarter_ids.clone(),
            closes_at: s.model.closes_at,
            responses: counts.get(&s.model.id).copied().unwrap_or(0),
        })
        .collect())
}

pub async fn get(state: &AppState, me: &AuthUser, id: Uuid) -> Result<SurveyDto, ApiError> {
    let view = for_staff(state, me, id).await?;
    let counts = response_counts(state.db.conn(), &[id]).await?;
    Ok(view.survey.dto(
        counts.get(&id).copied().unwrap_or(0),
        OffsetDateTime::now_utc(),
    ))
}

/// The organisation of the target quarters, which must all exist, belong to one
/// organisation and be within this person's scope.
async fn target_organisation(
    state: &AppState,
    me: &AuthUser,
    quarter_ids: &[Uuid],
) -> Result<Uuid, ApiError> {
    let unique: BTreeSet<Uuid> = quarter_ids.iter().copied().collect();
    if unique.len() != quarter_ids.len() {
        return Err(ApiError::field("quarter_ids", "duplicate"));
    }
    let visible = visible_quarters(state, me).await?;
    if quarter_ids.iter().any(|q| !visible.contains(q)) {
        // Quarters outside one's scope are as unknown as quarters that do not exist.
        return Err(ApiError::field("quarter_ids", "unknown_quarter"));
    }
    let quarters = quarter::Entity::find()
        .filter(quarter::Column::Id.is_in(quarter_ids.iter().copied()))
        .all(state.db.conn())
        .await?;
    let organisation = match quarters.first() {
        Some(q) if quarters.len() == quarter_ids.len() => q.organisation_id,
        _ => return Err(ApiError::field("quarter_ids", "unknown_quarter")),
    };
    if quarters.iter().any(|q| q.organisation_id != organisation) {
        return Err(ApiError::field("quarter_ids", "several_organisations"));
    }
    Ok(organisation)
}

fn validate(req: &SurveyRequest) -> Result<(), ApiError> {
    let problems = req.problems();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

pub async fn create(
    state: &AppState,
    me: &AuthUser,
    req: SurveyRequest,
) -> Result<SurveyDto, ApiError> {
    validate(&req)?;
    let organisation = target_organisation(state, me, &req.quarter_ids).await?;
    let now = OffsetDateTime::now_utc();
    let id = Uuid::now_v7();
    let definition = to_json(&req.definition)?;
    let txn = state.db.begin_write().await?;
    survey::ActiveModel {
        id: Set(id),
        organisation_id: Set(organisation),
        title: Set(to_json(&req.title)?),
        intro: Set(to_json(&req.intro)?),
        status: Set(SurveyStatus::Draft.as_str().to_owned()),
        opens_at: Set(req.opens_at),
        closes_at: Set(req.closes_at),
        anonymous: Set(req.anonymous),
        access_public: Set(req.access.public_link),
        access_codes: Set(req.access.codes),
        access_signed_in: Set(req.access.signed_in),
        profile_questions: Set(req.profile_questions),
        version: Set(1),
        definition: Set(definition.clone()),
        created_by: Set(Some(me.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    insert_quarters(&txn, id, &req.quarter_ids).await?;
    survey_version::ActiveModel {
        survey_id: Set(id),
        version: Set(1),
        definition: Set(definition),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    get(state, me, id).await
}

async fn insert_quarters<C: sea_orm::ConnectionTrait>(
    conn: &C,
    survey_id: Uuid,
    quarter_ids: &[Uuid],
) -> Result<(), ApiError> {
    survey_quarter::Entity::insert_many(quarter_ids.iter().map(|q| survey_quarter::ActiveModel {
        survey_id: Set(survey_id),
        quarter_id: Set(*q),
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn option_keys(kind: &QuestionKind) -> Vec<String> {
    match kind {
        QuestionKind::Matrix { statements, scale } => statements
            .iter()
            .map(|s| format!("statement {}", s.id))
            .chain(scale.iter().map(|p| format!("scale point {}", p.id)))
            .collect(),
        other => other.condition_values(),
    }
}

/// Why `new` would break responses given to `old`, if it would: a question or option
/// removed, a kind changed, a new required question.
pub fn breaking_change(old: &SurveyDefinition, new: &SurveyDefinition) -> Option<String> {
    for q in old.questions() {
        let Some(n) = new.question(&q.id) else {
            return Some(format!(
                "Question {} has answers and cannot be removed.",
                q.id
            ));
        };
        if n.kind.name() != q.kind.name() {
            return Some(format!(
                "Question {} has answers: its kind cannot change from {} to {}.",
                q.id,
                q.kind.name(),
                n.kind.name()
            ));
        }
        let kept = option_keys(&n.kind);
        if let Some(gone) = option_keys(&q.kind).into_iter().find(|k| !kept.contains(k)) {
            return Some(format!(
                "Question {} has answers: option {gone} cannot be removed.",
                q.id
            ));
        }
    }
    if let Some(q) = new
        .questions()
        .find(|q| q.required && old.question(&q.id).is_none())
    {
        return Some(format!(
            "The survey has responses: the new question {} must be optional.",
            q.id
        ));
    }
    None
}

/// Replaces a survey's texts, questions, quarters and settings. Before it opens this
/// edits version 1 in place; afterwards every change of the questions is a new version,
/// and once there are responses, changes that would break them are refused.
pub async fn update(
    state: &AppState,
    me: &AuthUser,
    id: Uuid,
    req: SurveyRequest,
) -> Result<SurveyDto, ApiError> {
    validate(&req)?;
    let view = for_staff(state, me, id).await?;
    if !view.can_edit {
        return Err(ApiError::Forbidden);
    }
    let current = view.survey;
    let organisation = target_organisation(state, me, &req.quarter_ids).await?;
    if organisation != current.model.organisation_id {
        return Err(ApiError::field("quarter_ids", "several_organisations"));
    }
    if current.stored_status() == SurveyStatus::Archived {
        return Err(ApiError::Conflict(
            "The survey is archived and cannot be changed.".into(),
        ));
    }
    let responses = response_counts(state.db.conn(), &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    if responses > 0 {
        if let Some(reason) = breaking_change(&current.definition, &req.definition) {
            return Err(ApiError::Conflict(reason));
        }
        if req.anonymous != current.model.anonymous {
            return Err(ApiError::Conflict(
                "The survey has responses: whether it is anonymous cannot change.".into(),
            ));
        }
    }
    let now = OffsetDateTime::now_utc();
    let definition_changed = req.definition != current.definition;
    let new_version = if definition_changed && current.stored_status() != SurveyStatus::Draft {
        current.model.version + 1
    } else {
        current.model.version
    };
    let definition = to_json(&req.definition)?;
    let txn = state.db.begin_write().await?;
    // Conditional on the version read: of two concurrent edits, one wins.
    let updated = survey::Entity::update_many()
        .col_expr(survey::Column::Title, Expr::value(to_json(&req.title)?))
        .col_expr(survey::Column::Intro, Expr::value(to_json(&req.intro)?))
        .col_expr(survey::Column::OpensAt, Expr::value(req.opens_at))
        .col_expr(survey::Column::ClosesAt, Expr::value(req.closes_at))
        .col_expr(survey::Column::Anonymous, Expr::value(req.anonymous))
        .col_expr(
            survey::Column::AccessPublic,
            Expr::value(req.access.public_link),
        )
        .col_expr(survey::Column::AccessCodes, Expr::value(req.access.codes))
        .col_expr(
            survey::Column::AccessSignedIn,
            Expr::value(req.access.signed_in),
        )
        .col_expr(
            survey::Column::ProfileQuestions,
            Expr::value(req.profile_questions),
        )
        .col_expr(survey::Column::Version, Expr::value(new_version))
        .col_expr(survey::Column::Definition, Expr::value(definition.clone()))
        .col_expr(survey::Column::UpdatedAt, Expr::value(now))
        .filter(survey::Column::Id.eq(id))
        .filter(survey::Column::Version.eq(current.model.version))
        .filter(survey::Column::Status.ne(SurveyStatus::Archived.as_str()))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::Conflict(
            "The survey was changed at the same time; reload it.".into(),
        ));
    }
    survey_quarter::Entity::delete_many()
        .filter(survey_quarter::Column::SurveyId.eq(id))
        .exec(&txn)
        .await?;
    insert_quarters(&txn, id, &req.quarter_ids).await?;
    if new_version == current.model.version {
        survey_version::Entity::update_many()
            .col_expr(survey_version::Column::Definition, Expr::value(definition))
            .filter(survey_version::Column::SurveyId.eq(id))
            .filter(survey_version::Column::Version.eq(new_version))
            .exec(&txn)
            .await?;
    } else {
        survey_version::ActiveModel {
            survey_id: Set(id),
            version: Set(new_version),
            definition: Set(definition),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    state.surveys.forget(id);
    get(state, me, id).await
}

/// Moves a survey along draft → open → closed → archived (or re-opens a closed one).
pub async fn set_status(
    state: &AppState,
    me: &AuthUser,
    id: Uuid,
    to: SurveyStatus,
) -> Result<SurveyDto, ApiError> {
    let view = for_staff(state, me, id).await?;
    if !view.can_edit {
        return Err(ApiError::Forbidden);
    }
    let survey = view.survey;
    let now = OffsetDateTime::now_utc();
    let from = survey.status(now);
    if !from.can_become(to) {
        return Err(ApiError::Conflict(format!(
            "A {} survey cannot become {}.",
            from.as_str(),
            to.as_str()
        )));
    }
    if to == SurveyStatus::Open {
        opening_problems(&survey, now)?;
    }
    let txn = state.db.begin_write().await?;
    let updated = survey::Entity::update_many()
        .col_expr(survey::Column::Status, Expr::value(to.as_str()))
        .col_expr(survey::Column::UpdatedAt, Expr::value(now))
        .filter(survey::Column::Id.eq(id))
        .filter(survey::Column::Status.eq(survey.model.status.as_str()))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(ApiError::Conflict(
            "The survey was changed at the same time; reload it.".into(),
        ));
    }
    txn.commit().await?;
    state.surveys.forget(id);
    get(state, me, id).await
}

fn opening_problems(survey: &Stored, now: OffsetDateTime) -> Result<(), ApiError> {
    let access = survey.access();
    if !(access.public_link || access.codes || access.signed_in) {
        return Err(ApiError::field("access", "required"));
    }
    if survey.model.closes_at.is_some_and(|c| c <= now) {
        return Err(ApiError::field("closes_at", "in_past"));
    }
    let problems = survey.definition.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    Ok(())
}

/// Deletes a draft (a survey that never opened).
pub async fn delete(state: &AppState, me: &AuthUser, id: Uuid) -> Result<(), ApiError> {
    let view = for_staff(state, me, id).await?;
    if !view.can_edit {
        return Err(ApiError::Forbidden);
    }
    let txn = state.db.begin_write().await?;
    let deleted = survey::Entity::delete_many()
        .filter(survey::Column::Id.eq(id))
        .filter(survey::Column::Status.eq(SurveyStatus::Draft.as_str()))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::Conflict(
            "Only a draft can be deleted; close or archive an opened survey.".into(),
        ));
    }
    txn.commit().await?;
    state.surveys.forget(id);
    Ok(())
}

/// A new draft with the same questions and settings.
pub async fn duplicate(state: &AppState, me: &AuthUser, id: Uuid) -> Result<SurveyDto, ApiError> {
    let view = for_staff(state, me, id).await?;
    if !view.can_edit {
        return Err(ApiError::Forbidden);
    }
    let s = view.survey;
    let copy = |t: &Text| Text {
        de: format!("{} (Kopie)", t.de),
        en: if t.en.is_empty() {
            String::new()
        } else {
            format!("{} (copy)", t.en)
        },
    };
    let req = SurveyRequest {
        title: copy(&s.title),
        intro: s.intro.clone(),
        quarter_ids: s.quarter_ids.clone(),
        opens_at: None,
        closes_at: None,
        anonymous: s.model.anonymous,
        access: s.access(),
        profile_questions: s.model.profile_questions,
        definition: s.definition.clone(),
    };
    create(state, me, req).await
}
