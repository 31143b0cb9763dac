//! The audit log: who accessed or changed whose personal data, and when.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use shared::accounts::AuditEntryDto;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::entities::audit_entry;
use crate::error::ApiError;

/// What was accessed, and whose.
pub struct Access<'a> {
    pub action: &'a str,
    pub organisation_id: Option<Uuid>,
    pub subject_user_id: Option<Uuid>,
    pub quarter_id: Option<Uuid>,
}

/// Appends an entry, in the caller's transaction when there is one: the access and its
/// record commit together or not at all.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &AuthUser,
    access: Access<'_>,
) -> Result<(), ApiError> {
    audit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(access.organisation_id),
        actor_id: Set(Some(actor.id())),
        actor_email: Set(Some(actor.user.email.clone())),
        action: Set(access.action.to_owned()),
        subject_user_id: Set(access.subject_user_id),
        quarter_id: Set(access.quarter_id),
        at: Set(OffsetDateTime::now_utc()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// One entry per person in `subjects` (a list shown to staff), so each of them finds
/// the access in their own export; one entry without a subject if the list was empty.
pub async fn record_each<C: ConnectionTrait>(
    conn: &C,
    actor: &AuthUser,
    access: Access<'_>,
    subjects: &[Uuid],
) -> Result<(), ApiError> {
    if subjects.is_empty() {
        return record(conn, actor, access).await;
    }
    let at = OffsetDateTime::now_utc();
    // Chunks keep each statement far below SQLite's and PostgreSQL's parameter limits.
    for chunk in subjects.chunks(500) {
        audit_entry::Entity::insert_many(chunk.iter().map(|subject| audit_entry::ActiveModel {
            id: Set(Uuid::now_v7()),
            organisation_id: Set(access.organisation_id),
            actor_id: Set(Some(actor.id())),
            actor_email: Set(Some(actor.user.email.clone())),
            action: Set(access.action.to_owned()),
            subject_user_id: Set(Some(*subject)),
            quarter_id: Set(access.quarter_id),
            at: Set(at),
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

pub fn dto(entry: audit_entry::Model) -> AuditEntryDto {
    AuditEntryDto {
        id: entry.id,
        actor_id: entry.actor_id,
        actor_email: entry.actor_email,
        action: entry.action,
        subject_user_id: entry.subject_user_id,
        quarter_id: entry.quarter_id,
        at: entry.at,
    }
}
