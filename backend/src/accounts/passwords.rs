//! Passwords: the rules, hashing, a change by their owner, and the one-time reset
//! codes a manager reads out on the phone.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use shared::Role;
use shared::accounts::{ResetCodeDto, password_length_problem};
use shared::problem::field_code::{INVALID_CODE, TOO_COMMON, WRONG_PASSWORD};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::email;
use crate::audit::{self, Access};
use crate::auth::{AuthUser, Grants, sessions};
use crate::crypto::{self, shown_code};
use crate::entities::{reset_code, role_grant, user};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

/// How long a reset code read out on the phone stays valid.
pub const RESET_CODE_HOURS: i64 = 48;
const RESET_CODE_LEN: usize = 8;

/// Password rules shared by registration, invitations, changes and resets:
/// length, and not one of the passwords attackers try first.
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    if let Some(problem) = password_length_problem(password) {
        return Some(problem);
    }
    // zxcvbn knows the common-password lists; score 0–1 means "guessable within
    // ~10^6 attempts", which includes every entry of those lists.
    if u8::from(zxcvbn::zxcvbn(password, user_inputs).score()) < 2 {
        return Some(TOO_COMMON);
    }
    None
}

pub(super) async fn hash(hashing: &crypto::Hashing, password: &str) -> Result<String, ApiError> {
    let password = password.to_owned();
    hashing
        .run(move || crypto::hash_password(&password))
        .await?
        .map_err(ApiError::Internal)
}

pub(super) async fn verify(
    hashing: &crypto::Hashing,
    password: &str,
    phc: &str,
) -> Result<bool, ApiError> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    hashing
        .run(move || crypto::verify_password(&password, &phc))
        .await
}

/// Changes the password after checking the current one; ends every other session.
pub async fn change_password(
    state: &AppState,
    me: &AuthUser,
    current: &str,
    new: &str,
) -> Result<(), ApiError> {
    if !verify(&state.hashing, current, &me.user.password_hash).await? {
        return Err(ApiError::field("current_password", WRONG_PASSWORD));
    }
    if let Some(code) = password_problem(new, &[&me.user.email, &me.user.display_name]) {
        return Err(ApiError::field("new_password", code));
    }
    set_password(state, me.id(), new).await
}

async fn set_password(state: &AppState, user_id: Uuid, new: &str) -> Result<(), ApiError> {
    let hash = hash(&state.hashing, new).await?;
    let txn = state.db.begin_write().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            user::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    sessions::revoke_all(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Issues a one-time code with which `user_id` can set a new password. Only for
/// residents and volunteers of a quarter the caller manages (never for staff accounts).
pub async fn issue_reset_code(
    state: &AppState,
    me: &AuthUser,
    user_id: Uuid,
) -> Result<ResetCodeDto, ApiError> {
    let conn = state.db.conn();
    let target = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let quarters = visible_quarters(state, me).await?;
    let in_scope = target
        .home_quarter_id
        .is_some_and(|q| quarters.contains(&q));
    if !in_scope {
        // Indistinguishable from a missing user: managers learn nothing about other quarters.
        return Err(ApiError::NotFound);
    }
    let target_grants = Grants(
        role_grant::Entity::find()
            .filter(role_grant::Column::UserId.eq(user_id))
            .all(conn)
            .await?,
    );
    // Staff accounts are not among the residents a manager sees, so they are 404 like
    // any other account out of sight: a 403 here would mark them as staff.
    if target_grants.has(Role::Manager) || target_grants.has(Role::Admin) {
        return Err(ApiError::NotFound);
    }
    let code = crypto::readable_code(RESET_CODE_LEN);
    let now = OffsetDateTime::now_utc();
    let expires_at = now + Duration::hours(RESET_CODE_HOURS);
    let txn = state.db.begin_write().await?;
    // A new code replaces any earlier unused one.
    reset_code::Entity::update_many()
        .col_expr(reset_code::Column::UsedAt, Expr::value(now))
        .filter(reset_code::Column::UserId.eq(user_id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    reset_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        code_hash: Set(crypto::token_hash(&code)),
        created_by: Set(Some(me.id())),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: "reset_code.issue",
            organisation_id: me.grants.0.iter().find_map(|g| g.organisation_id),
            subject_user_id: Some(user_id),
            quarter_id: target.home_quarter_id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ResetCodeDto {
        code: shown_code(&code),
        expires_at,
    })
}

/// Sets a new password with a reset code; the code works once.
///
/// The code is checked first, and every failure — unknown address, wrong, used or
/// expired code, a code for someone else — gives the same answer after the same work
/// (one argon2 hash, as a success costs), so the endpoint tells nothing about which
/// addresses have accounts. The password rules speak only to someone holding a valid code.
pub async fn redeem_reset_code(
    state: &AppState,
    email: &str,
    code: &str,
    new_password: &str,
) -> Result<(), ApiError> {
    let invalid = || ApiError::field("code", INVALID_CODE);
    let email = email::canonical(email);
    let now = OffsetDateTime::now_utc();
    let conn = state.db.conn();
    let code_hash = crypto::token_hash(&crypto::normalise_code(code));
    let valid = reset_code::Entity::find()
        .filter(reset_code::Column::CodeHash.eq(code_hash))
        .filter(reset_code::Column::UsedAt.is_null())
        .filter(reset_code::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?;
    let target = match &valid {
        Some(found) => user::Entity::find_by_id(found.user_id)
            .one(conn)
            .await?
            .filter(|u| u.email == email),
        None => None,
    };
    let (Some(found), Some(target)) = (valid, target) else {
        hash(&state.hashing, new_password).await?;
        return Err(invalid());
    };
    if let Some(problem) = password_problem(new_password, &[&email, &target.display_name]) {
        return Err(ApiError::field("new_password", problem));
    }
    let hash = hash(&state.hashing, new_password).await?;
    let txn = state.db.begin_write().await?;
    let used = reset_code::Entity::update_many()
        .col_expr(reset_code::Column::UsedAt, Expr::value(now))
        .filter(reset_code::Column::Id.eq(found.id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    sessions::revoke_all(&txn, target.id).await?;
    txn.commit().await?;
    Ok(())
}
