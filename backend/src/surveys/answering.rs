//! Answering: the survey for the answering page, submissions (online and typed in by
//! staff), and signed-in people's drafts.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use shared::surveys::{
    Answers, Channel, EnteredResponseRequest, PublicSurveyDto, RespondentProfile,
    SubmitResponseRequest, SubmittedDto, SurveyDraftDto, SurveyStatus, Text,
};
use time::OffsetDateTime;
use uuid::Uuid;

use std::sync::Arc;

use std::io::Write;

use super::cache::{Live, PublicBody};
use super::counters;
use super::ingest::{Outcome, Submission, Ticket};
use super::stored::{Stored, answers_json, for_staff, from_json, to_json};
use crate::auth::AuthUser;
use crate::crypto::{normalise_code, token_hash};
use crate::entities::{access_code, survey_draft};
use crate::error::ApiError;
use crate::startup::AppState;
use shared::problem::field_code;

/// A survey people can reach: open (or closed, so the page can say so). Drafts and
/// archived surveys are not found. From the instance's cache (`cache.rs`).
async fn reachable(state: &AppState, id: Uuid) -> Result<Arc<Live>, ApiError> {
    let live = state.surveys.get(&state.db, id).await?;
    match live.survey.stored_status() {
        SurveyStatus::Open | SurveyStatus::Closed => Ok(live),
        _ => Err(ApiError::NotFound),
    }
}

/// What the answering page's HTML carries (`web.rs`): the survey's title and
/// introduction for its first paint, and `GET /public/surveys/{id}`'s document, so the
/// app needs no request before it can show the survey.
pub struct FirstPaint {
    pub title: Text,
    pub intro: Text,
    /// How many steps the progress line counts before anything is answered: the start
    /// screen, the sections with a question shown, the summary (as the app counts).
    pub steps: usize,
    pub document: Arc<PublicBody>,
}

/// The first paint of a survey people can reach; `None` for one they cannot (the app
/// then asks the API, which says why).
pub async fn first_paint(state: &AppState, id: Uuid) -> Option<FirstPaint> {
    let live = reachable(state, id).await.ok()?;
    let document = public_body(state, id).await.ok()?;
    let definition = &live.survey.definition;
    let shown = definition.visible(&Answers::default());
    let sections = definition
        .sections
        .iter()
        .filter(|section| section.questions.iter().any(|q| shown.contains(&q.id)))
        .count();
    Some(FirstPaint {
        title: live.survey.title.clone(),
        intro: live.survey.intro.clone(),
        steps: sections + 2,
        document,
    })
}

/// The answering page's document, serialised and compressed once per cached survey:
/// encoding it per request cost more than everything else a read does.
pub async fn public_body(state: &AppState, id: Uuid) -> Result<Arc<PublicBody>, ApiError> {
    let live = reachable(state, id).await?;
    let now = OffsetDateTime::now_utc();
    let status = live.survey.status(now);
    if let Some(body) = live.public.get()
        && body.status == status
    {
        return Ok(body.clone());
    }
    let json = serde_json::to_vec(&public(&live, now))
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing a survey")))?;
    let mut brotli = brotli::CompressorWriter::new(Vec::new(), 4096, BROTLI_QUALITY, 22);
    brotli
        .write_all(&json)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("compressing a survey")))?;
    let body = Arc::new(PublicBody {
        status,
        json: json.into(),
        brotli: brotli.into_inner().into(),
    });
    // The first encoding is kept; one made after `closes_at` (another status) is not.
    let _ = live.public.set(body.clone());
    Ok(body)
}

/// Brotli quality of the answering page's document: encoded about once a second per
/// survey, so better than actix's per-answer 3, but not the slow top levels.
const BROTLI_QUALITY: u32 = 9;

fn public(live: &Live, now: OffsetDateTime) -> PublicSurveyDto {
    let survey = &live.survey;
    PublicSurveyDto {
        id: survey.model.id,
        title: survey.title.clone(),
        intro: survey.intro.clone(),
        version: survey.version(),
        status: survey.status(now),
        anonymous: survey.model.anonymous,
        access: survey.access(),
        profile_questions: survey.model.profile_questions,
        quarters: live.quarters.clone(),
        opens_at: survey.model.opens_at,
        closes_at: survey.model.closes_at,
        definition: survey.definition.clone(),
    }
}

fn closed() -> ApiError {
    ApiError::Conflict("The survey is not open for responses.".into())
}

/// Checks answers and profile against the survey; the profile's quarter must be one of
/// the survey's.
fn check(
    survey: &Stored,
    version: u32,
    answers: &Answers,
    profile: &RespondentProfile,
) -> Result<(), ApiError> {
    let mut problems = survey.definition.answer_problems(answers);
    if version == 0 || version > survey.version() {
        problems.push(shared::FieldError {
            field: "version".into(),
            code: "unknown_version".into(),
        });
    }
    if profile
        .quarter_id
        .is_some_and(|q| !survey.quarter_ids.contains(&q))
    {
        problems.push(shared::FieldError {
            field: "profile.quarter_id".into(),
            code: "unknown_quarter".into(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// Midnight UTC of the day: what an anonymous response keeps of its time.
fn day_of(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_time(time::Time::MIDNIGHT)
}

struct Respondent {
    channel: Channel,
    user: Option<Uuid>,
    entered_by: Option<Uuid>,
    ticket: Ticket,
    quarter_id: Option<Uuid>,
}

async fn store(
    state: &AppState,
    survey: &Stored,
    id: Uuid,
    version: u32,
    answers: Answers,
    profile: RespondentProfile,
    who: Respondent,
) -> Result<SubmittedDto, ApiError> {
    let now = OffsetDateTime::now_utc();
    let anonymous = survey.model.anonymous;
    let profile = if survey.model.profile_questions || who.entered_by.is_some() {
        profile
    } else {
        RespondentProfile::default()
    };
    let submission = Submission {
        id,
        survey_id: survey.model.id,
        version: i32::try_from(version).unwrap_or(1),
        channel: who.channel.as_str().to_owned(),
        quarter_id: who.quarter_id.or(profile.quarter_id),
        age_band: profile.age_band.map(|b| b.as_str().to_owned()),
        user_id: if anonymous { None } else { who.user },
        entered_by: who.entered_by,
        increments: counters::increments(survey.layout(), &answers, now.date()),
        answers: answers_json(&answers)?,
        submitted_at: if anonymous { day_of(now) } else { now },
        ticket: who.ticket,
        clears_draft_of: who.user,
    };
    match state.ingest.submit(submission).await? {
        Outcome::Stored => Ok(SubmittedDto {
            id,
            duplicate: false,
        }),
        Outcome::Duplicate => Ok(SubmittedDto {
            id,
            duplicate: true,
        }),
        Outcome::CodeUsed => Err(ApiError::field("code", "already_used")),
        Outcome::AlreadyAnswered => Err(ApiError::Conflict(
            "You have answered this survey already.".into(),
        )),
    }
}

/// An online response, by anyone the survey's access allows.
pub async fn submit(
    state: &AppState,
    me: Option<&AuthUser>,
    survey_id: Uuid,
    req: SubmitResponseRequest,
) -> Result<SubmittedDto, ApiError> {
    // The key is made at random by the client: a time-based key would date the response.
    if req.id.get_version_num() != 4 {
        return Err(ApiError::field("id", "not_random"));
    }
    let live = reachable(state, survey_id).await?;
    let survey = &live.survey;
    let now = OffsetDateTime::now_utc();
    if !survey.accepts_responses(now) {
        return Err(closed());
    }
    check(survey, req.version, &req.answers, &req.profile)?;
    let access = survey.access();
    let mut quarter_id = None;
    let ticket = if let Some(code) = req.code.as_deref().filter(|c| !c.trim().is_empty()) {
        if !access.codes {
            return Err(ApiError::field("code", "not_used"));
        }
        let hash = token_hash(&normalise_code(code));
        let row = access_code::Entity::find()
            .filter(access_code::Column::CodeHash.eq(hash.as_str()))
            .filter(access_code::Column::SurveyId.eq(survey_id))
            .one(state.db.conn())
            .await?
            .ok_or_else(|| ApiError::field("code", "invalid"))?;
        // A code's letter went to one quarter: that is the response's quarter.
        quarter_id = Some(row.quarter_id);
        Ticket::Code {
            hash,
            redeemed_at: if survey.model.anonymous {
                day_of(now)
            } else {
                now
            },
        }
    } else if let (Some(me), true) = (me, access.signed_in) {
        let home = me.user.home_quarter_id;
        if !home.is_some_and(|q| survey.quarter_ids.contains(&q)) && !access.public_link {
            return Err(ApiError::Forbidden);
        }
        Ticket::Participant(me.id())
    } else if access.public_link {
        Ticket::None
    } else if access.signed_in {
        return Err(ApiError::Unauthenticated);
    } else {
        return Err(ApiError::field("code", "required"));
    };
    store(
        state,
        survey,
        req.id,
        req.version,
        req.answers,
        req.profile,
        Respondent {
            channel: Channel::Online,
            user: me.map(AuthUser::id),
            entered_by: None,
            ticket,
            quarter_id,
        },
    )
    .await
}

/// A paper, telephone or assisted response typed in by a manager of its quarter.
pub async fn enter(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
    req: EnteredResponseRequest,
) -> Result<SubmittedDto, ApiError> {
    if req.channel == Channel::Online {
        return Err(ApiError::field("channel", "online_is_for_respondents"));
    }
    if req.id.get_version_num() != 4 {
        return Err(ApiError::field("id", "not_random"));
    }
    let view = for_staff(state, me, survey_id).await?;
    let sees_all = view.sees_all();
    let survey = view.survey;
    if !matches!(
        survey.stored_status(),
        SurveyStatus::Open | SurveyStatus::Closed
    ) {
        return Err(closed());
    }
    check(&survey, survey.version(), &req.answers, &req.profile)?;
    match req.profile.quarter_id {
        Some(q) if view.quarters.contains(&q) => {}
        Some(_) => return Err(ApiError::field("profile.quarter_id", "unknown_quarter")),
        // A manager of some of the quarters must say which of theirs it is.
        None if !sees_all => return Err(ApiError::field("profile.quarter_id", "required")),
        None => {}
    }
    let version = survey.version();
    store(
        state,
        &survey,
        req.id,
        version,
        req.answers,
        req.profile,
        Respondent {
            channel: req.channel,
            user: None,
            entered_by: Some(me.id()),
            ticket: Ticket::None,
            quarter_id: None,
        },
    )
    .await
}

/// A signed-in person's saved progress, if any.
pub async fn get_draft(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
) -> Result<SurveyDraftDto, ApiError> {
    reachable(state, survey_id).await?;
    let draft = survey_draft::Entity::find_by_id((survey_id, me.id()))
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    from_json(&draft.answers)
}

/// Saves a signed-in person's progress, so they can go on on another device.
pub async fn put_draft(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
    draft: SurveyDraftDto,
) -> Result<SurveyDraftDto, ApiError> {
    let live = reachable(state, survey_id).await?;
    let survey = &live.survey;
    if !survey.accepts_responses(OffsetDateTime::now_utc()) {
        return Err(closed());
    }
    // What could never become right is refused now; what is merely unfinished (a
    // required question not answered yet, a number still being typed) on submission.
    let problems = survey.definition.draft_problems(&draft.answers);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let position = i32::try_from(draft.position)
        .map_err(|_| ApiError::field("position", field_code::OUT_OF_RANGE))?;
    let txn = state.db.begin_write().await?;
    survey_draft::Entity::insert(survey_draft::ActiveModel {
        survey_id: Set(survey_id),
        user_id: Set(me.id()),
        answers: Set(to_json(&draft)?),
        position: Set(position),
        updated_at: Set(OffsetDateTime::now_utc()),
    })
    .on_conflict(
        OnConflict::columns([survey_draft::Column::SurveyId, survey_draft::Column::UserId])
            .update_columns([
                survey_draft::Column::Answers,
                survey_draft::Column::Position,
                survey_draft::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(draft)
}

pub async fn delete_draft(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
) -> Result<(), ApiError> {
    let txn = state.db.begin_write().await?;
    survey_draft::Entity::delete_many()
        .filter(survey_draft::Column::SurveyId.eq(survey_id))
        .filter(survey_draft::Column::UserId.eq(me.id()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
