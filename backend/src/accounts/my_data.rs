//! Everything stored about the signed-in person (`GET /me/export`).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::accounts::{
    AuditEntryDto, GrantExportDto, InvitationExportDto, MyDataExport, ResetCodeExportDto,
    SessionInfoDto,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::profile::me_dto;
use crate::audit;
use crate::auth::AuthUser;
use crate::entities::{audit_entry, invitation, invitation_quarter, refresh_token, reset_code};
use crate::error::ApiError;
use crate::startup::AppState;

/// Everything stored about the signed-in user.
pub async fn export(state: &AppState, me: &AuthUser) -> Result<MyDataExport, ApiError> {
    let conn = state.db.conn();
    let now = OffsetDateTime::now_utc();
    // Sessions that can still be used: one per signed-in device. Rotated and revoked
    // tokens are bookkeeping (reuse detection), not sessions, and the cleanup deletes them.
    let sessions = refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(me.id()))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(now))
        .order_by_asc(refresh_token::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|t| SessionInfoDto {
            created_at: t.created_at,
            expires_at: t.expires_at,
            active: t.revoked_at.is_none() && t.used_at.is_none() && t.expires_at > now,
        })
        .collect();
    let access_log: Vec<AuditEntryDto> = audit_entry::Entity::find()
        .filter(audit_entry::Column::SubjectUserId.eq(me.id()))
        .order_by_asc(audit_entry::Column::At)
        .all(conn)
        .await?
        .into_iter()
        .map(audit::dto)
        .collect();
    let role_grants = me
        .grants
        .0
        .iter()
        .map(|g| GrantExportDto {
            role: g.role.into(),
            organisation_id: g.organisation_id,
            quarter_id: g.quarter_id,
            granted_at: g.created_at,
        })
        .collect();
    let reset_codes = reset_code::Entity::find()
        .filter(reset_code::Column::UserId.eq(me.id()))
        .order_by_asc(reset_code::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| ResetCodeExportDto {
            issued_by: c.created_by,
            issued_at: c.created_at,
            expires_at: c.expires_at,
            used_at: c.used_at,
        })
        .collect();
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(&me.user.email))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?;
    let mut quarters: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in invitation_quarter::Entity::find()
        .filter(invitation_quarter::Column::InvitationId.is_in(invitations.iter().map(|i| i.id)))
        .order_by_asc(invitation_quarter::Column::QuarterId)
        .all(conn)
        .await?
    {
        quarters
            .entry(row.invitation_id)
            .or_default()
            .push(row.quarter_id);
    }
    let invitations = invitations
        .into_iter()
        .map(|i| InvitationExportDto {
            organisation_id: i.organisation_id,
            quarter_ids: quarters.remove(&i.id).unwrap_or_default(),
            email: i.email,
            display_name: i.display_name,
            created_at: i.created_at,
            expires_at: i.expires_at,
            accepted_at: i.accepted_at,
        })
        .collect();
    Ok(MyDataExport {
        exported_at: now,
        account: me_dto(me)?,
        created_at: me.user.created_at,
        updated_at: me.user.updated_at,
        role_grants,
        sessions,
        reset_codes,
        invitations,
        access_log,
    })
}
