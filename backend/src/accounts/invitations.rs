//! Invitations: an admin invites a manager for quarters of their organisation, and
//! the invited person accepts with the code.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use shared::accounts::{CreateInvitationRequest, InvitationDto};
use shared::problem::field_code::{INVALID_CODE, REQUIRED, UNKNOWN_QUARTER};
use shared::{Language, Role};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::email;
use super::registration::{NewUser, insert_user, name_problem, prepare_user, validation};
use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::crypto::{self, shown_code};
use crate::entities::{invitation, invitation_quarter, quarter};
use crate::error::ApiError;
use crate::startup::AppState;

/// How long an invitation (its link and code) stays valid.
pub const INVITATION_DAYS: i64 = 14;
const INVITATION_CODE_LEN: usize = 8;

/// An admin invites a manager for quarters of their organisation.
pub async fn create_invitation(
    state: &AppState,
    me: &AuthUser,
    req: CreateInvitationRequest,
) -> Result<InvitationDto, ApiError> {
    let email = email::canonical(&req.email);
    let mut errors = Vec::new();
    if let Some(code) = email::problem(&email) {
        errors.push(("email", code));
    }
    if let Some(code) = name_problem(&req.display_name) {
        errors.push(("display_name", code));
    }
    if req.quarter_ids.is_empty() {
        errors.push(("quarter_ids", REQUIRED));
    }
    validation(errors)?;
    let conn = state.db.conn();
    let quarters = quarter::Entity::find()
        .filter(quarter::Column::Id.is_in(req.quarter_ids.clone()))
        .all(conn)
        .await?;
    let organisation_id = match quarters.first() {
        Some(q) if quarters.len() == req.quarter_ids.len() => q.organisation_id,
        _ => return Err(ApiError::field("quarter_ids", UNKNOWN_QUARTER)),
    };
    if quarters
        .iter()
        .any(|q| q.organisation_id != organisation_id)
        || !me.grants.is_admin_of(organisation_id)
    {
        return Err(ApiError::Forbidden);
    }
    // A short code from the reset codes' alphabet, so an admin can read it out on the
    // phone; the link carries the same code.
    let code = crypto::readable_code(INVITATION_CODE_LEN);
    let now = OffsetDateTime::now_utc();
    let expires_at = now + Duration::days(INVITATION_DAYS);
    let txn = state.db.begin_write().await?;
    let row = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        email: Set(email.clone()),
        display_name: Set(req.display_name.trim().to_owned()),
        code_hash: Set(crypto::token_hash(&code)),
        created_by: Set(Some(me.id())),
        expires_at: Set(expires_at),
        accepted_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    // Every id names a quarter of this organisation (checked above), each once.
    invitation_quarter::Entity::insert_many(req.quarter_ids.iter().map(|q| {
        invitation_quarter::ActiveModel {
            invitation_id: Set(row.id),
            quarter_id: Set(*q),
        }
    }))
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: "invitation.create",
            organisation_id: Some(organisation_id),
            subject_user_id: None,
            quarter_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(InvitationDto {
        id: row.id,
        email,
        display_name: row.display_name,
        quarter_ids: req.quarter_ids,
        path: format!("/invitation/{}", shown_code(&code)),
        code: shown_code(&code),
        expires_at,
    })
}

/// Creates the invited manager's account; the invitation works once.
pub async fn accept_invitation(
    state: &AppState,
    code: &str,
    password: &str,
) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::field("code", INVALID_CODE);
    let now = OffsetDateTime::now_utc();
    // Typed codes in any case, with or without the dash; a link from before the short
    // codes carries a 32-character token, stored as the hash of itself.
    let hashes = [
        crypto::token_hash(&crypto::normalise_code(code)),
        crypto::token_hash(code.trim()),
    ];
    let found = invitation::Entity::find()
        .filter(invitation::Column::CodeHash.is_in(hashes))
        .one(state.db.conn())
        .await?
        .ok_or_else(invalid)?;
    if found.accepted_at.is_some() || found.expires_at <= now {
        return Err(invalid());
    }
    let prepared = prepare_user(
        &state.hashing,
        NewUser {
            email: &found.email,
            password,
            display_name: &found.display_name,
            language: Language::De,
            home_quarter_id: None,
        },
    )
    .await?;
    let grants: Vec<_> = invitation_quarter::Entity::find()
        .filter(invitation_quarter::Column::InvitationId.eq(found.id))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|q| {
            (
                Role::Manager,
                Some(found.organisation_id),
                Some(q.quarter_id),
            )
        })
        .collect();
    let txn = state.db.begin_write().await?;
    // Conditional update: of two concurrent acceptances only one wins.
    let accepted = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    if accepted.rows_affected != 1 {
        return Err(invalid());
    }
    let user = insert_user(&txn, prepared, &grants).await?;
    txn.commit().await?;
    Ok(user.id)
}
