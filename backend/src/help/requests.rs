//! Requests for help: a resident asks (or a manager types in what someone phoned in);
//! the resident sees their own, the managers of the quarter see its board, with the
//! matcher's suggestions beside each open request.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TryInsertResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::FieldError;
use shared::help::{
    AvailabilitySlot, CallerDto, ContactDto, HelpCategory, HelpEvent, HelpRequestDto,
    HelpRequestRequest, HelpStatus, HelpUrgency, HelpWindow, HelperDto, PhonedHelpRequest,
    SeriesDto, SuggestionDto, SuggestionReason,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::notify;
use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::entities::{
    help_event, help_request, quarter, user, volunteer_offer, volunteer_quarter,
};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

/// A serde enum's key (`"shopping"`), as stored.
pub(super) fn key<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A request's stored status; a value that names none is an error, never a default.
pub(super) fn status_of(row: &help_request::Model) -> Result<HelpStatus, ApiError> {
    HelpStatus::parse(&row.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "help request {} has an unknown status {:?}",
            row.id,
            row.status
        ))
    })
}

pub(super) fn parse<T: DeserializeOwned>(what: &str, stored: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(stored.to_owned())).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!("unreadable {what} of a help request: {e}"))
    })
}

/// A JSON column of an offer or request (categories, availability, window).
pub(super) fn stored_json<T: DeserializeOwned>(what: &str, stored: &str) -> Result<T, ApiError> {
    serde_json::from_str(stored)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("unreadable {what}: {e}")))
}

/// How long after a task is done its two sides still see each other's contact.
const CONTACT_KEPT_DAYS: i64 = 30;

/// Requests as `me` may see them. Per request: its quarter's staff see everything but
/// contacts; the resident and the volunteer of an agreed task see each other's contact
/// (from confirmation until 30 days after done); the resident sees who is proposed or
/// coming; a volunteer looking at open requests sees neither names nor contacts.
pub async fn present(
    state: &AppState,
    me: &AuthUser,
    staff_quarters: &[Uuid],
    rows: Vec<help_request::Model>,
) -> Result<Vec<HelpRequestDto>, ApiError> {
    let people: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| [r.resident_id, r.volunteer_id])
        .flatten()
        .collect();
    let users: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let now = OffsetDateTime::now_utc();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let staff = staff_quarters.contains(&row.quarter_id);
        let is_resident = row.resident_id == Some(me.id());
        let is_volunteer = row.volunteer_id == Some(me.id());
        let involved = staff || is_resident || is_volunteer;
        let status = status_of(&row)?;
        let agreed = match status {
            HelpStatus::Confirmed => true,
            HelpStatus::Done => row
                .done_at
                .is_some_and(|at| now - at < time::Duration::days(CONTACT_KEPT_DAYS)),
            _ => false,
        };
        let resident = row.resident_id.and_then(|id| users.get(&id));
        let volunteer = row.volunteer_id.and_then(|id| users.get(&id));
        let resident_name = resident
            .map(|u| u.display_name.clone())
            .or_else(|| row.caller_name.clone())
            .unwrap_or_default();
        let contact = match (agreed, is_resident, is_volunteer) {
            (true, true, _) => volunteer.map(|v| ContactDto {
                name: v.display_name.clone(),
                phone: v.phone.clone().unwrap_or_default(),
            }),
            (true, _, true) => Some(ContactDto {
                name: resident_name.clone(),
                phone: resident
                    .and_then(|u| u.phone.clone())
                    .or_else(|| row.caller_phone.clone())
                    .unwrap_or_default(),
            }),
            _ => None,
        };
        let when: HelpWindow = serde_json::from_str(&row.window).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("unreadable window of a help request: {e}"))
        })?;
        let caller = match (staff, row.caller_name, row.caller_phone) {
            (true, Some(name), Some(phone)) => Some(CallerDto { name, phone }),
            _ => None,
        };
        out.push(HelpRequestDto {
            id: row.id,
            category: parse("category", &row.category)?,
            details: row.details,
            when,
            quarter_id: row.quarter_id,
            urgency: parse("urgency", &row.urgency)?,
            accessibility: row.accessibility,
            status,
            for_name: if involved {
                resident_name
            } else {
                String::new()
            },
            caller,
            volunteer: volunteer.filter(|_| involved).map(|v| HelperDto {
                user_id: v.id,
                display_name: v.display_name.clone(),
            }),
            contact,
            reasons: Vec::new(),
            series: match (row.series_week, row.series_weeks) {
                (Some(week), Some(weeks)) => Some(SeriesDto {
                    week: u8::try_from(week).unwrap_or(0),
                    weeks: u8::try_from(weeks).unwrap_or(0),
                }),
                _ => None,
            },
            from_survey: row.from_survey_id.filter(|_| staff || is_resident),
            created_at: row.created_at.format(&Rfc3339).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// One request as `me` may see it.
pub async fn present_one(
    state: &AppState,
    me: &AuthUser,
    row: help_request::Model,
) -> Result<HelpRequestDto, ApiError> {
    let staff = visible_quarters(state, me).await?;
    present(state, me, &staff, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no request presented")))
}

/// The day it is in the quarters at `now`. Windows are days as people in the quarter say
/// them, in Europe/Berlin: UTC+1 in winter, +2 in summer. Taking +1 all year refuses
/// "yesterday" up to an hour late in summer, and expires a request up to an hour late,
/// never too early.
pub(super) fn berlin_date(now: OffsetDateTime) -> time::Date {
    (now + time::Duration::hours(1)).date()
}

fn today_in_berlin() -> time::Date {
    berlin_date(OffsetDateTime::now_utc())
}

struct Asked<'a> {
    req: &'a HelpRequestRequest,
    quarter_id: Uuid,
    resident_id: Option<Uuid>,
    caller: Option<&'a CallerDto>,
}

/// Checks and stores a request; a second send of the same id by the same person returns
/// the stored one, another person's id is a conflict. Nothing is stored on an error.
async fn store(
    state: &AppState,
    me: &AuthUser,
    asked: Asked<'_>,
) -> Result<help_request::Model, ApiError> {
    let req = asked.req;
    let mut problems = req.problems(today_in_berlin());
    if let Some(caller) = asked.caller {
        if caller.name.trim().is_empty() || caller.name.chars().count() > 120 {
            problems.push(FieldError {
                field: "caller.name".into(),
                code: "required".into(),
            });
        }
        let digits = caller.phone.chars().filter(char::is_ascii_digit).count();
        if !(5..=20).contains(&digits)
            || caller
                .phone
                .chars()
                .any(|c| !(c.is_ascii_digit() || " +-/()".contains(c)))
        {
            problems.push(FieldError {
                field: "caller.phone".into(),
                code: "invalid_phone".into(),
            });
        }
    }
    let known = quarter::Entity::find_by_id(asked.quarter_id)
        .one(state.db.conn())
        .await?;
    if known.is_none() {
        problems.push(FieldError {
            field: "quarter_id".into(),
            code: "unknown_quarter".into(),
        });
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let now = OffsetDateTime::now_utc();
    let weeks = req.weeks.max(1);
    let series = (weeks > 1).then_some(req.id);
    let mut rows = Vec::with_capacity(usize::from(weeks));
    for week in 0..weeks {
        let when = req.when.weeks_later(week);
        let last_day = when
            .last_day()
            .map(|d| d.to_string())
            .ok_or_else(|| ApiError::field("when", "invalid_date"))?;
        let window = serde_json::to_string(&when)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("help window: {e}")))?;
        // The first week's key is the client's; the others are new, stored only with it.
        let id = if week == 0 { req.id } else { Uuid::now_v7() };
        rows.push((
            id,
            help_request::ActiveModel {
                id: Set(id),
                quarter_id: Set(asked.quarter_id),
                resident_id: Set(asked.resident_id),
                created_by: Set(Some(me.id())),
                caller_name: Set(asked.caller.map(|c| c.name.trim().to_owned())),
                caller_phone: Set(asked.caller.map(|c| c.phone.trim().to_owned())),
                category: Set(key(&req.category)),
                details: Set(req.details.trim().to_owned()),
                window: Set(window),
                last_day: Set(last_day),
                urgency: Set(key(&req.urgency)),
                accessibility: Set(req.accessibility.trim().to_owned()),
                status: Set(HelpStatus::Open.as_str().to_owned()),
                volunteer_id: Set(None),
                done_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                flagged_at: Set(None),
                series_id: Set(series),
                series_week: Set(series.map(|_| i16::from(week) + 1)),
                series_weeks: Set(series.map(|_| i16::from(weeks))),
                from_survey_id: Set(req.from_survey),
            },
        ));
    }
    let txn = state.db.begin_write().await?;
    // The key decides: a retry meets the constraint, never a read that raced. The other
    // weeks are stored only in the transaction that stored the first.
    let mut first = true;
    for (id, row) in rows {
        let inserted = help_request::Entity::insert(row)
            .on_conflict_do_nothing()
            .exec_without_returning(&txn)
            .await?;
        if !matches!(inserted, TryInsertResult::Inserted(1)) {
            if first {
                break;
            }
            continue;
        }
        first = false;
        let step = notify::Step {
            request_id: id,
            quarter_id: asked.quarter_id,
            resident_id: asked.resident_id,
            volunteer_id: None,
            event: HelpEvent::Asked,
            actor: Some(me.id()),
        };
        notify::record(&txn, step, now).await?;
    }
    if asked.caller.is_some() {
        audit::record(
            &txn,
            me,
            Access {
                action: "help_requests.phoned",
                organisation_id: known.map(|q| q.organisation_id),
                subject_user_id: None,
                quarter_id: Some(asked.quarter_id),
            },
        )
        .await?;
    }
    txn.commit().await?;
    let stored = help_request::Entity::find_by_id(req.id)
        .one(state.db.conn())
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a stored help request vanished")))?;
    if stored.created_by != Some(me.id()) {
        return Err(ApiError::Conflict("This request id is taken.".into()));
    }
    Ok(stored)
}

/// A signed-in resident asks for help, for themselves.
pub async fn ask(
    state: &AppState,
    me: &AuthUser,
    req: HelpRequestRequest,
) -> Result<HelpRequestDto, ApiError> {
    let quarter_id = req
        .quarter_id
        .or(me.user.home_quarter_id)
        .ok_or_else(|| ApiError::field("quarter_id", "required"))?;
    if let Some(survey_id) = req.from_survey {
        super::from_survey::check(state, me, survey_id, req.category).await?;
    }
    let stored = store(
        state,
        me,
        Asked {
            req: &req,
            quarter_id,
            resident_id: Some(me.id()),
            caller: None,
        },
    )
    .await?;
    present_one(state, me, stored).await
}

/// A manager takes a request on the telephone, in one of their quarters.
pub async fn phoned(
    state: &AppState,
    me: &AuthUser,
    req: PhonedHelpRequest,
) -> Result<HelpRequestDto, ApiError> {
    let quarter_id = req
        .request
        .quarter_id
        .ok_or_else(|| ApiError::field("quarter_id", "required"))?;
    if !visible_quarters(state, me).await?.contains(&quarter_id) {
        return Err(ApiError::field("quarter_id", "unknown_quarter"));
    }
    // A survey's need reaches help only by the resident's own hand.
    if req.request.from_survey.is_some() {
        return Err(ApiError::field("request.from_survey", "not_allowed"));
    }
    let stored = store(
        state,
        me,
        Asked {
            req: &req.request,
            quarter_id,
            resident_id: None,
            caller: Some(&req.caller),
        },
    )
    .await?;
    present_one(state, me, stored).await
}

/// The caller's own requests, newest first.
pub async fn mine(state: &AppState, me: &AuthUser) -> Result<Vec<HelpRequestDto>, ApiError> {
    let rows = help_request::Entity::find()
        .filter(help_request::Column::ResidentId.eq(me.id()))
        .order_by_desc(help_request::Column::CreatedAt)
        .all(state.db.conn())
        .await?;
    present(state, me, &[], rows).await
}

/// The requests of the caller's quarters (or one of them), open ones first, by day.
pub async fn board(
    state: &AppState,
    me: &AuthUser,
    quarter: Option<Uuid>,
) -> Result<Vec<HelpRequestDto>, ApiError> {
    let mut quarters = visible_quarters(state, me).await?;
    if let Some(q) = quarter {
        if !quarters.contains(&q) {
            return Err(ApiError::NotFound);
        }
        quarters = vec![q];
    }
    let rows = help_request::Entity::find()
        .filter(help_request::Column::QuarterId.is_in(quarters.iter().copied()))
        .order_by_asc(help_request::Column::LastDay)
        .all(state.db.conn())
        .await?;
    let mut out = present(state, me, &quarters, rows).await?;
    out.sort_by_key(|r| r.status != HelpStatus::Open);
    Ok(out)
}

/// Most suggestions shown beside a request.
const SUGGESTIONS: usize = 5;
/// The reliability of a volunteer without finished tasks yet: a newcomer is not last.
const NEWCOMER_RELIABILITY: u8 = 80;

fn to_matcher_category(c: HelpCategory) -> matcher::Category {
    match c {
        HelpCategory::Shopping => matcher::Category::Shopping,
        HelpCategory::Accompany => matcher::Category::Accompany,
        HelpCategory::TechHelp => matcher::Category::TechHelp,
        HelpCategory::Paperwork => matcher::Category::Paperwork,
        HelpCategory::Visit => matcher::Category::Visit,
        HelpCategory::Repairs => matcher::Category::Repairs,
        HelpCategory::Garden => matcher::Category::Garden,
        HelpCategory::Transport => matcher::Category::Transport,
        HelpCategory::Other => matcher::Category::Other,
    }
}

fn to_matcher_weekday(d: shared::help::Weekday) -> time::Weekday {
    use shared::help::Weekday as W;
    match d {
        W::Monday => time::Weekday::Monday,
        W::Tuesday => time::Weekday::Tuesday,
        W::Wednesday => time::Weekday::Wednesday,
        W::Thursday => time::Weekday::Thursday,
        W::Friday => time::Weekday::Friday,
        W::Saturday => time::Weekday::Saturday,
        W::Sunday => time::Weekday::Sunday,
    }
}

fn from_weekday(d: time::Weekday) -> shared::help::Weekday {
    use shared::help::Weekday as W;
    match d {
        time::Weekday::Monday => W::Monday,
        time::Weekday::Tuesday => W::Tuesday,
        time::Weekday::Wednesday => W::Wednesday,
        time::Weekday::Thursday => W::Thursday,
        time::Weekday::Friday => W::Friday,
        time::Weekday::Saturday => W::Saturday,
        time::Weekday::Sunday => W::Sunday,
    }
}

pub(super) fn matcher_request(row: &help_request::Model) -> Result<matcher::Request, ApiError> {
    let when: HelpWindow = serde_json::from_str(&row.window)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("unreadable window: {e}")))?;
    let day = |s: &str| {
        shared::help::parse_day(s)
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unreadable day {s}")))
    };
    let window = match &when {
        HelpWindow::At {
            date,
            from_minute,
            to_minute,
        } => matcher::TimeWindow::At {
            date: day(date)?,
            time: matcher::TimeRange::new(*from_minute, *to_minute),
        },
        HelpWindow::Flexible { from, days } => matcher::TimeWindow::Flexible {
            from: day(from)?,
            days: *days,
        },
    };
    let urgency: HelpUrgency = parse("urgency", &row.urgency)?;
    let category: HelpCategory = parse("category", &row.category)?;
    Ok(matcher::Request {
        id: matcher::RequestId(row.id),
        resident: matcher::ResidentId(row.resident_id.unwrap_or(row.id)),
        category: to_matcher_category(category),
        quarter: matcher::QuarterId(row.quarter_id),
        window,
        urgency: match urgency {
            HelpUrgency::Low => matcher::Urgency::Low,
            HelpUrgency::Normal => matcher::Urgency::Normal,
            HelpUrgency::High => matcher::Urgency::High,
        },
    })
}

/// The volunteers serving any of `quarters`, as the matcher sees them (the matcher
/// checks the rest), with their accounts for names.
pub(super) async fn serving_volunteers(
    state: &AppState,
    quarters: &[Uuid],
) -> Result<(Vec<matcher::Volunteer>, HashMap<Uuid, user::Model>), ApiError> {
    let conn = state.db.conn();
    let mut serving: Vec<Uuid> = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::QuarterId.is_in(quarters.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    serving.sort();
    serving.dedup();
    let offers = volunteer_offer::Entity::find()
        .filter(volunteer_offer::Column::UserId.is_in(serving.iter().copied()))
        .all(conn)
        .await?;
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(serving.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut served: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.is_in(serving.iter().copied()))
        .all(conn)
        .await?
    {
        served.entry(r.user_id).or_default().push(r.quarter_id);
    }
    let histories = histories(state, &serving).await?;
    let mut volunteers = Vec::with_capacity(offers.len());
    for offer in &offers {
        volunteers.push(matcher_volunteer(
            offer,
            served.remove(&offer.user_id).unwrap_or_default(),
            people.get(&offer.user_id).and_then(|p| p.home_quarter_id),
            histories.get(&offer.user_id),
        )?);
    }
    Ok((volunteers, people))
}

/// Ranked volunteers for one request of the caller's quarters, with the reasons to show.
pub async fn suggestions(
    state: &AppState,
    me: &AuthUser,
    request_id: Uuid,
) -> Result<Vec<SuggestionDto>, ApiError> {
    let row = help_request::Entity::find_by_id(request_id)
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !visible_quarters(state, me).await?.contains(&row.quarter_id) {
        return Err(ApiError::NotFound);
    }
    let request = matcher_request(&row)?;
    let (volunteers, people) = serving_volunteers(state, &[row.quarter_id]).await?;
    Ok(matcher::suggest(&request, &volunteers, SUGGESTIONS)
        .into_iter()
        .map(|s| SuggestionDto {
            volunteer_id: s.volunteer.0,
            display_name: people
                .get(&s.volunteer.0)
                .map(|p| p.display_name.clone())
                .unwrap_or_default(),
            score: s.score,
            reasons: reasons_dto(s.reasons),
        })
        .collect())
}

/// What the matcher weighs of a volunteer's past: their load this week, how reliably
/// they finished what they accepted, and whom they helped before.
#[derive(Debug, Default, Clone)]
pub(super) struct History {
    tasks_this_week: u8,
    done: u32,
    declined: u32,
    helped: HashMap<Uuid, u16>,
}

impl History {
    /// Done of all tasks accepted and then done or given back; a newcomer is not last.
    fn reliability(&self) -> u8 {
        let finished = self.done + self.declined;
        if finished == 0 {
            return NEWCOMER_RELIABILITY;
        }
        u8::try_from(self.done * 100 / finished).unwrap_or(100)
    }
}

/// The histories of these volunteers, as of now.
pub(super) async fn histories(
    state: &AppState,
    volunteers: &[Uuid],
) -> Result<HashMap<Uuid, History>, ApiError> {
    use HelpStatus::{Accepted, Confirmed, Done, Proposed};
    let conn = state.db.conn();
    let week_ago = OffsetDateTime::now_utc() - time::Duration::days(7);
    let mut out: HashMap<Uuid, History> = HashMap::new();
    let tasks = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.is_in(volunteers.iter().copied()))
        .filter(
            help_request::Column::Status
                .is_in([Proposed, Accepted, Confirmed, Done].map(HelpStatus::as_str)),
        )
        .all(conn)
        .await?;
    for task in tasks {
        let Some(volunteer) = task.volunteer_id else {
            continue;
        };
        let history = out.entry(volunteer).or_default();
        let done = status_of(&task)? == Done;
        if !done || task.done_at.is_some_and(|at| at >= week_ago) {
            history.tasks_this_week = history.tasks_this_week.saturating_add(1);
        }
        if done {
            history.done += 1;
            if let Some(resident) = task.resident_id {
                *history.helped.entry(resident).or_default() += 1;
            }
        }
    }
    let declines = help_event::Entity::find()
        .filter(help_event::Column::VolunteerId.is_in(volunteers.iter().copied()))
        .filter(help_event::Column::Event.eq(HelpEvent::Declined.as_str()))
        .all(conn)
        .await?;
    for decline in declines {
        if let Some(volunteer) = decline.volunteer_id {
            out.entry(volunteer).or_default().declined += 1;
        }
    }
    Ok(out)
}

/// An offer as the matcher sees it.
pub(super) fn matcher_volunteer(
    offer: &volunteer_offer::Model,
    quarters_served: Vec<Uuid>,
    home_quarter: Option<Uuid>,
    history: Option<&History>,
) -> Result<matcher::Volunteer, ApiError> {
    let categories: Vec<HelpCategory> = stored_json("categories", &offer.categories)?;
    let slots: Vec<AvailabilitySlot> = stored_json("availability", &offer.availability)?;
    let history = history.cloned().unwrap_or_default();
    Ok(matcher::Volunteer {
        id: matcher::VolunteerId(offer.user_id),
        categories: categories.into_iter().map(to_matcher_category).collect(),
        availability: slots
            .iter()
            .map(|s| matcher::WeeklySlot {
                weekday: to_matcher_weekday(s.weekday),
                time: matcher::TimeRange::new(s.from_minute, s.to_minute),
            })
            .collect(),
        quarters_served: quarters_served
            .into_iter()
            .map(matcher::QuarterId)
            .collect(),
        home_quarter: home_quarter.map(matcher::QuarterId),
        max_tasks_per_week: u8::try_from(offer.max_tasks_per_week).unwrap_or(0),
        tasks_this_week: history.tasks_this_week,
        verified: offer.verified_at.is_some(),
        paused: offer.paused,
        reliability_percent: history.reliability(),
        helped_before: history
            .helped
            .iter()
            .map(|(resident, times)| (matcher::ResidentId(*resident), *times))
            .collect(),
    })
}

/// The matcher's reasons, as the web app words them.
pub(super) fn reasons_dto(reasons: Vec<matcher::Reason>) -> Vec<SuggestionReason> {
    reasons
        .into_iter()
        .map(|r| match r {
            matcher::Reason::AvailableAt {
                date,
                weekday,
                from,
                to,
            } => SuggestionReason::AvailableAt {
                date: date.to_string(),
                weekday: from_weekday(weekday),
                from_minute: from,
                to_minute: to,
            },
            matcher::Reason::SameQuarter => SuggestionReason::SameQuarter,
            matcher::Reason::TasksThisWeek(tasks) => SuggestionReason::TasksThisWeek { tasks },
            matcher::Reason::HelpedBefore(times) => SuggestionReason::HelpedBefore { times },
            matcher::Reason::Reliability(percent) => SuggestionReason::Reliability { percent },
        })
        .collect()
}
