//! Requests for help: a resident asks (or a manager types in what someone phoned in);
//! the resident sees their own, the managers of the quarter see its board, with the
//! matcher's suggestions beside each open request.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::FieldError;
use shared::help::{
    AvailabilitySlot, CallerDto, ContactDto, HelpCategory, HelpRequestDto, HelpRequestRequest,
    HelpStatus, HelpUrgency, HelpWindow, HelperDto, PhonedHelpRequest, SuggestionDto,
    SuggestionReason,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::entities::{help_request, quarter, user, volunteer_offer, volunteer_quarter};
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
        let status = HelpStatus::parse(&row.status).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "unknown help request status {}",
                row.status
            ))
        })?;
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

fn today_in_berlin() -> time::Date {
    // Windows are days as people in the quarter say them, in Europe/Berlin: UTC+1 in
    // winter, +2 in summer. Taking +1 all year refuses "yesterday" up to an hour late in
    // summer, never too early.
    (OffsetDateTime::now_utc() + time::Duration::hours(1)).date()
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
    let last_day = req
        .when
        .last_day()
        .map(|d| d.to_string())
        .ok_or_else(|| ApiError::field("when", "invalid_date"))?;
    let window = serde_json::to_string(&req.when)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("help window: {e}")))?;
    let now = OffsetDateTime::now_utc();
    let row = help_request::ActiveModel {
        id: Set(req.id),
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
    };
    let txn = state.db.begin_write().await?;
    // The key decides: a retry meets the constraint, never a read that raced.
    help_request::Entity::insert(row)
        .on_conflict_do_nothing()
        .exec_without_returning(&txn)
        .await?;
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
    // Candidates: the offers serving the request's quarter.
    let serving: Vec<Uuid> = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::QuarterId.eq(row.quarter_id))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let offers = volunteer_offer::Entity::find()
        .filter(volunteer_offer::Column::UserId.is_in(serving.iter().copied()))
        .all(state.db.conn())
        .await?;
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(serving.iter().copied()))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut served: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.is_in(serving.iter().copied()))
        .all(state.db.conn())
        .await?
    {
        served.entry(r.user_id).or_default().push(r.quarter_id);
    }
    let mut volunteers = Vec::with_capacity(offers.len());
    for offer in &offers {
        let home = people.get(&offer.user_id).and_then(|p| p.home_quarter_id);
        let quarters = served.remove(&offer.user_id).unwrap_or_default();
        volunteers.push(matcher_volunteer(offer, quarters, home)?);
    }
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

/// An offer as the matcher sees it. Load and history are not counted yet.
pub(super) fn matcher_volunteer(
    offer: &volunteer_offer::Model,
    quarters_served: Vec<Uuid>,
    home_quarter: Option<Uuid>,
) -> Result<matcher::Volunteer, ApiError> {
    let categories: Vec<HelpCategory> = stored_json("categories", &offer.categories)?;
    let slots: Vec<AvailabilitySlot> = stored_json("availability", &offer.availability)?;
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
        tasks_this_week: 0,
        verified: offer.verified_at.is_some(),
        paused: offer.paused,
        reliability_percent: NEWCOMER_RELIABILITY,
        helped_before: Vec::new(),
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
