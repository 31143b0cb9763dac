//! What happened to a request, and who is told: each step is logged in `help_events`
//! and every other person taking part gets a notification, in the same transaction as
//! the step itself, so a step is never told twice or not at all.
//!
//! Who takes part: the resident who asked (for a request phoned in by someone without
//! an account, the quarter's managers in their place) and the volunteer of the step.
//! The person who took the step is not told of it. A flag (nobody has taken the request
//! for a while) goes to the quarter's managers only.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use shared::help::{Audience, HelpEvent};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::entities::role_grant::{self, GrantRole};
use crate::entities::{help_event, help_request, notification, quarter};

/// The managers of a quarter; where it has none, the admins of its organisation.
pub(super) async fn staff_of<C: ConnectionTrait>(
    conn: &C,
    quarter_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let managers: Vec<Uuid> = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(GrantRole::Manager))
        .filter(role_grant::Column::QuarterId.eq(quarter_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    if !managers.is_empty() {
        return Ok(managers);
    }
    let Some(q) = quarter::Entity::find_by_id(quarter_id).one(conn).await? else {
        return Ok(Vec::new());
    };
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(GrantRole::Admin))
        .filter(role_grant::Column::OrganisationId.eq(q.organisation_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect())
}

/// One step of a request, taken by `actor` (`None`: the server's jobs).
pub(super) struct Step {
    pub request_id: Uuid,
    pub quarter_id: Uuid,
    /// The resident who asked; `None` for a phoned request without an account.
    pub resident_id: Option<Uuid>,
    /// The volunteer the step concerns (for a decline: the one who declined).
    pub volunteer_id: Option<Uuid>,
    pub event: HelpEvent,
    pub actor: Option<Uuid>,
}

impl Step {
    /// A step of `request` as it was before the step.
    pub fn of(request: &help_request::Model, event: HelpEvent, actor: Option<Uuid>) -> Step {
        Step {
            request_id: request.id,
            quarter_id: request.quarter_id,
            resident_id: request.resident_id,
            volunteer_id: request.volunteer_id,
            event,
            actor,
        }
    }
}

/// Logs the step and tells everyone else taking part. Call inside the step's transaction.
pub(super) async fn record<C: ConnectionTrait>(
    conn: &C,
    step: Step,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    help_event::Entity::insert(help_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(step.request_id),
        event: Set(step.event.as_str().to_owned()),
        actor_id: Set(step.actor),
        volunteer_id: Set(step.volunteer_id),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    let mut told: Vec<(Uuid, Audience)> = Vec::new();
    match step.event {
        // A new request is on the managers' board; a volunteer's board shows it too.
        HelpEvent::Asked => {}
        HelpEvent::Flagged => {
            for manager in staff_of(conn, step.quarter_id).await? {
                told.push((manager, Audience::Staff));
            }
        }
        _ => {
            match step.resident_id {
                Some(resident) => told.push((resident, Audience::Resident)),
                None => {
                    for manager in staff_of(conn, step.quarter_id).await? {
                        told.push((manager, Audience::Staff));
                    }
                }
            }
            if let Some(volunteer) = step.volunteer_id {
                told.push((volunteer, Audience::Volunteer));
            }
        }
    }
    told.retain(|(person, _)| Some(*person) != step.actor);
    told.sort_by_key(|(person, _)| *person);
    told.dedup_by_key(|(person, _)| *person);
    if told.is_empty() {
        return Ok(());
    }
    notification::Entity::insert_many(told.into_iter().map(|(person, audience)| {
        notification::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(person),
            request_id: Set(step.request_id),
            event: Set(step.event.as_str().to_owned()),
            audience: Set(audience.as_str().to_owned()),
            created_at: Set(now),
            read_at: Set(None),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
