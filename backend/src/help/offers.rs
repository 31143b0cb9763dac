//! Volunteers' offers: a volunteer keeps one; the managers of the quarters it serves
//! (and the admins of their organisations) see it and verify the volunteer.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use shared::Role;
use shared::help::{
    AvailabilitySlot, HelpCategory, VerificationDto, VerifyVolunteerRequest, VolunteerOfferDto,
    VolunteerOfferRequest,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::entities::{quarter, user, volunteer_offer, volunteer_quarter};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

fn unreadable(what: &str, e: serde_json::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!(
        "unreadable {what} of a volunteer offer: {e}"
    ))
}

fn dto(
    offer: volunteer_offer::Model,
    display_name: String,
    mut quarter_ids: Vec<Uuid>,
) -> Result<VolunteerOfferDto, ApiError> {
    let categories: Vec<HelpCategory> =
        serde_json::from_str(&offer.categories).map_err(|e| unreadable("categories", e))?;
    let availability: Vec<AvailabilitySlot> =
        serde_json::from_str(&offer.availability).map_err(|e| unreadable("availability", e))?;
    quarter_ids.sort();
    Ok(VolunteerOfferDto {
        user_id: offer.user_id,
        display_name,
        categories,
        availability,
        quarter_ids,
        max_tasks_per_week: u8::try_from(offer.max_tasks_per_week).unwrap_or(0),
        paused: offer.paused,
        about: offer.about,
        verification: offer.verified_at.map(|at| VerificationDto {
            verified_at: at.format(&Rfc3339).unwrap_or_default(),
            certificate_seen_on: offer.certificate_seen_on,
        }),
    })
}

async fn quarters_of(
    state: &AppState,
    users: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, ApiError> {
    let rows = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.is_in(users.iter().copied()))
        .all(state.db.conn())
        .await?;
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in rows {
        out.entry(r.user_id).or_default().push(r.quarter_id);
    }
    Ok(out)
}

/// The caller's own offer.
pub async fn mine(state: &AppState, me: &AuthUser) -> Result<VolunteerOfferDto, ApiError> {
    let offer = volunteer_offer::Entity::find_by_id(me.id())
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let quarters = quarters_of(state, &[me.id()])
        .await?
        .remove(&me.id())
        .unwrap_or_default();
    dto(offer, me.user.display_name.clone(), quarters)
}

/// Creates or replaces the caller's offer. Volunteers only; a verification stays.
pub async fn put(
    state: &AppState,
    me: &AuthUser,
    req: VolunteerOfferRequest,
) -> Result<VolunteerOfferDto, ApiError> {
    if !me.grants.has(Role::Volunteer) {
        return Err(ApiError::Forbidden);
    }
    let mut problems = req.problems();
    if problems.is_empty() {
        let known = quarter::Entity::find()
            .filter(quarter::Column::Id.is_in(req.quarter_ids.iter().copied()))
            .all(state.db.conn())
            .await?;
        if known.len() != req.quarter_ids.len() {
            problems.push(shared::FieldError {
                field: "quarter_ids".into(),
                code: "unknown_quarter".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let mut categories = req.categories.clone();
    categories.sort();
    let categories = serde_json::to_string(&categories).map_err(|e| unreadable("categories", e))?;
    let availability =
        serde_json::to_string(&req.availability).map_err(|e| unreadable("availability", e))?;
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin_write().await?;
    // One statement creates or replaces: two saves at once cannot both insert.
    volunteer_offer::Entity::insert(volunteer_offer::ActiveModel {
        user_id: Set(me.id()),
        categories: Set(categories),
        availability: Set(availability),
        max_tasks_per_week: Set(i16::from(req.max_tasks_per_week)),
        paused: Set(req.paused),
        about: Set(req.about.clone()),
        verified_at: Set(None),
        verified_by: Set(None),
        certificate_seen_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(volunteer_offer::Column::UserId)
            .update_columns([
                volunteer_offer::Column::Categories,
                volunteer_offer::Column::Availability,
                volunteer_offer::Column::MaxTasksPerWeek,
                volunteer_offer::Column::Paused,
                volunteer_offer::Column::About,
                volunteer_offer::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    volunteer_quarter::Entity::delete_many()
        .filter(volunteer_quarter::Column::UserId.eq(me.id()))
        .exec(&txn)
        .await?;
    volunteer_quarter::Entity::insert_many(req.quarter_ids.iter().map(|q| {
        volunteer_quarter::ActiveModel {
            user_id: Set(me.id()),
            quarter_id: Set(*q),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    mine(state, me).await
}

/// Offers serving any quarter the caller manages (or administers), unverified first.
pub async fn for_staff(
    state: &AppState,
    me: &AuthUser,
) -> Result<Vec<VolunteerOfferDto>, ApiError> {
    let quarters = visible_quarters(state, me).await?;
    let serving: Vec<Uuid> = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::QuarterId.is_in(quarters.iter().copied()))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let offers = volunteer_offer::Entity::find()
        .filter(volunteer_offer::Column::UserId.is_in(serving.iter().copied()))
        .order_by_asc(volunteer_offer::Column::CreatedAt)
        .all(state.db.conn())
        .await?;
    let ids: Vec<Uuid> = offers.iter().map(|o| o.user_id).collect();
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut served = quarters_of(state, &ids).await?;
    let mut out = Vec::with_capacity(offers.len());
    for offer in offers {
        let id = offer.user_id;
        let name = names.get(&id).cloned().unwrap_or_default();
        out.push(dto(offer, name, served.remove(&id).unwrap_or_default())?);
    }
    // The managers' work list: who still needs a look comes first.
    out.sort_by_key(|o| o.verification.is_some());
    Ok(out)
}

/// Whether the caller may act on this volunteer: the offer serves a quarter they see.
/// Outside one's scope, a volunteer is as missing as one that does not exist (404).
async fn in_scope(state: &AppState, me: &AuthUser, volunteer: Uuid) -> Result<(), ApiError> {
    let quarters = visible_quarters(state, me).await?;
    let serves = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.eq(volunteer))
        .filter(volunteer_quarter::Column::QuarterId.is_in(quarters.iter().copied()))
        .one(state.db.conn())
        .await?;
    serves.map(|_| ()).ok_or(ApiError::NotFound)
}

fn seen_on_problem(day: &str, today: time::Date) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(day, &format).map_or(true, |d| d > today)
}

/// Verifies a volunteer (again), noting the day a certificate of conduct was seen.
pub async fn verify(
    state: &AppState,
    me: &AuthUser,
    volunteer: Uuid,
    req: VerifyVolunteerRequest,
) -> Result<VolunteerOfferDto, ApiError> {
    in_scope(state, me, volunteer).await?;
    let now = OffsetDateTime::now_utc();
    if req
        .certificate_seen_on
        .as_deref()
        .is_some_and(|d| seen_on_problem(d, now.date()))
    {
        return Err(ApiError::field("certificate_seen_on", "invalid_date"));
    }
    set_verification(state, me, volunteer, Some((now, req.certificate_seen_on))).await
}

/// Withdraws a volunteer's verification.
pub async fn unverify(
    state: &AppState,
    me: &AuthUser,
    volunteer: Uuid,
) -> Result<VolunteerOfferDto, ApiError> {
    in_scope(state, me, volunteer).await?;
    set_verification(state, me, volunteer, None).await
}

async fn set_verification(
    state: &AppState,
    me: &AuthUser,
    volunteer: Uuid,
    verification: Option<(OffsetDateTime, Option<String>)>,
) -> Result<VolunteerOfferDto, ApiError> {
    let (at, seen_on, by) = match verification {
        Some((at, seen)) => (Some(at), seen, Some(me.id())),
        None => (None, None, None),
    };
    let txn = state.db.begin_write().await?;
    volunteer_offer::Entity::update_many()
        .col_expr(volunteer_offer::Column::VerifiedAt, Expr::value(at))
        .col_expr(volunteer_offer::Column::VerifiedBy, Expr::value(by))
        .col_expr(
            volunteer_offer::Column::CertificateSeenOn,
            Expr::value(seen_on),
        )
        .filter(volunteer_offer::Column::UserId.eq(volunteer))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: if at.is_some() {
                "volunteers.verify"
            } else {
                "volunteers.unverify"
            },
            organisation_id: None,
            subject_user_id: Some(volunteer),
            quarter_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    let offer = volunteer_offer::Entity::find_by_id(volunteer)
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let name = user::Entity::find_by_id(volunteer)
        .one(state.db.conn())
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    let quarters = quarters_of(state, &[volunteer])
        .await?
        .remove(&volunteer)
        .unwrap_or_default();
    dto(offer, name, quarters)
}

#[cfg(test)]
mod tests {
    use super::seen_on_problem;
    use time::macros::date;

    #[test]
    fn a_certificate_day_must_be_a_real_past_day() {
        let today = date!(2026 - 11 - 30);
        assert!(!seen_on_problem("2026-11-30", today));
        assert!(!seen_on_problem("2025-02-28", today));
        assert!(seen_on_problem("2026-12-01", today));
        assert!(seen_on_problem("2026-02-30", today));
        assert!(seen_on_problem("30.11.2026", today));
    }
}
