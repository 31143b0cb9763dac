//! Refresh tokens: random, stored only as a hash, rotated on every use; presenting a
//! used token again revokes its whole family (RFC 6819 §5.2.2.3, OAuth 2.1 rotation).
//!
//! A login's first token is random; each successor is derived from its predecessor with
//! a keyed hash (`successor_of`), so a token presented again within the grace period
//! gets exactly the successor it got the first time — the chain never forks — while
//! the database still holds hashes only.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use shared::SessionDto;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::auth::jwt::ACCESS_TOKEN_SECONDS;
use crate::crypto::{random_token, token_hash};
use crate::entities::refresh_token;
use crate::error::ApiError;
use crate::startup::AppState;

/// Name of the HttpOnly cookie carrying the refresh token.
pub const REFRESH_COOKIE: &str = "quartier_refresh";
/// Only the auth routes ever receive the cookie.
pub const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// A session unused for this long ends.
pub const REFRESH_DAYS: i64 = 30;

/// A new session: the body for the client and the cookie to set.
pub struct Issued {
    pub session: SessionDto,
    pub cookie: Cookie<'static>,
}

pub fn refresh_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(REFRESH_DAYS))
        .finish()
}

pub fn clear_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = refresh_cookie(state, String::new());
    cookie.make_removal();
    cookie
}

/// Stores a new refresh token of a new family inside the caller's transaction.
pub async fn store_refresh_token<C: ConnectionTrait>(
    txn: &C,
    user_id: Uuid,
) -> Result<String, ApiError> {
    let token = random_token(32);
    store_token(txn, user_id, Uuid::now_v7(), token).await
}

async fn store_token<C: ConnectionTrait>(
    txn: &C,
    user_id: Uuid,
    family_id: Uuid,
    token: String,
) -> Result<String, ApiError> {
    let now = OffsetDateTime::now_utc();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        family_id: Set(family_id),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(now + Duration::days(REFRESH_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(token)
}

/// Access token + user for a refresh token already stored.
pub async fn issue(state: &AppState, user_id: Uuid, refresh: String) -> Result<Issued, ApiError> {
    let user = crate::auth::extract::load(state, user_id).await?;
    let access_token = state.jwt.issue(user_id)?;
    Ok(Issued {
        session: SessionDto {
            access_token,
            expires_in: ACCESS_TOKEN_SECONDS,
            user: crate::accounts::profile::me_dto(&user)?,
        },
        cookie: refresh_cookie(state, refresh),
    })
}

/// Starts a fresh session (login, registration, accepted invitation).
pub async fn start(state: &AppState, user_id: Uuid) -> Result<Issued, ApiError> {
    let txn = state.db.begin_write().await?;
    let refresh = store_refresh_token(&txn, user_id).await?;
    txn.commit().await?;
    issue(state, user_id, refresh).await
}

/// The token that replaces `presented`: HMAC-SHA256 under the server's secret, so it is
/// the same every time it is asked for, and nobody without the secret can compute it
/// from a stolen predecessor.
fn successor_of(state: &AppState, presented: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(state.settings.jwt_secret.as_bytes())
        .expect("HMAC accepts any key length");
    mac.update(b"quartier refresh successor\0");
    mac.update(presented.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The stored successor of a token rotated a moment ago, if it is still usable.
async fn live_successor<C: ConnectionTrait>(
    txn: &C,
    successor: &str,
    now: OffsetDateTime,
) -> Result<Option<refresh_token::Model>, ApiError> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(successor)))
        .one(txn)
        .await?
        .filter(|next| next.revoked_at.is_none() && next.expires_at > now))
}

/// Exchanges a refresh token for a new one and an access token.
pub async fn rotate(state: &AppState, presented: &str) -> Result<Issued, ApiError> {
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin_write().await?;
    let Some(current) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(&txn)
        .await?
    else {
        return Err(ApiError::Unauthenticated);
    };
    let grace = Duration::seconds(state.settings.refresh_grace_secs);
    let successor = successor_of(state, presented);
    let just_rotated =
        current.revoked_at.is_none() && current.used_at.is_some_and(|used| now - used <= grace);
    if just_rotated {
        // Two tabs (or a retried request) presenting the same token within seconds is a
        // race, not theft: this one gets the very successor the first one got.
        if let Some(next) = live_successor(&txn, &successor, now).await? {
            txn.commit().await?;
            return issue(state, next.user_id, successor).await;
        }
    }
    if current.used_at.is_some() || current.revoked_at.is_some() {
        // Reuse of a rotated token: someone else may hold the family. End it.
        revoke_family_in(&txn, current.family_id, now).await?;
        txn.commit().await?;
        tracing::warn!(user_id = %current.user_id, "refresh token reuse; family revoked");
        return Err(ApiError::Unauthenticated);
    }
    if current.expires_at <= now {
        return Err(ApiError::Unauthenticated);
    }
    // Conditional update: of two concurrent refreshes with the same token only one wins.
    let marked = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(current.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        // Another request rotated this token a moment ago (PostgreSQL: its commit is
        // visible now); within a grace period this one gets the same successor.
        if !grace.is_zero()
            && let Some(next) = live_successor(&txn, &successor, now).await?
        {
            txn.commit().await?;
            return issue(state, next.user_id, successor).await;
        }
        return Err(ApiError::Unauthenticated);
    }
    let refresh = store_token(&txn, current.user_id, current.family_id, successor).await?;
    txn.commit().await?;
    issue(state, current.user_id, refresh).await
}

async fn revoke_family_in<C: ConnectionTrait>(
    conn: &C,
    family_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends the session of a refresh token (logout). Unknown tokens are ignored.
pub async fn revoke(state: &AppState, presented: &str) -> Result<(), ApiError> {
    let txn = state.db.begin_write().await?;
    if let Some(current) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(&txn)
        .await?
    {
        revoke_family_in(&txn, current.family_id, OffsetDateTime::now_utc()).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Ends every session of a user (password changed or reset).
pub async fn revoke_all<C: ConnectionTrait>(conn: &C, user_id: Uuid) -> Result<(), ApiError> {
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
