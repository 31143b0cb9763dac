//! The audit log: who accessed or changed whose personal data, and when.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
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
