//! `/api/v1/auth/*`: register, login, refresh, logout, accept an invitation, reset a password.

use std::sync::OnceLock;

use actix_web::{HttpRequest, HttpResponse, ResponseError, post, web};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shared::accounts::{
    AcceptInvitationRequest, CSRF_HEADER, LoginRequest, PRIVACY_NOTICE_VERSION, RegisterRequest,
    ResetPasswordRequest,
};
use shared::problem::field_code::{OUTDATED, REQUIRED};
use shared::{Problem, Role, SessionDto};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts::email;
use crate::accounts::registration::{self, NewUser};
use crate::accounts::{invitations, passwords};
use crate::auth::device;
use crate::auth::limits::AccountKey;
use crate::auth::sessions::{self, Issued, REFRESH_COOKIE};
use crate::crypto;
use crate::entities::user;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(accept_invitation)
        .service(reset_password);
}

pub(crate) fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn session_response(status: actix_web::http::StatusCode, issued: Issued) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(issued.cookie)
        .json(issued.session)
}

fn require_csrf_header(req: &HttpRequest) -> Result<(), ApiError> {
    if req.headers().contains_key(CSRF_HEADER) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn check_consent(accepted: bool, version: &str) -> Result<(), ApiError> {
    if !accepted {
        return Err(ApiError::field("accept_privacy_notice", REQUIRED));
    }
    if version != PRIVACY_NOTICE_VERSION {
        return Err(ApiError::field("privacy_notice_version", OUTDATED));
    }
    Ok(())
}

/// A resident (optionally also a volunteer) signs up and is signed in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created; refresh cookie set", body = SessionDto),
        (status = 400, description = "Invalid field", body = Problem),
        (status = 409, description = "Email already registered", body = Problem),
        (status = 429, description = "Too many attempts", body = Problem),
    )
)]
#[post("/auth/register")]
async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    // Registration tells whether an address is taken (409, a product decision), so it
    // counts against the address's attempts like a sign-in.
    let email = email::canonical(&body.email);
    state
        .limits
        .check(&client_ip(&req), Some(AccountKey::Email(&email)))?;
    check_consent(body.accept_privacy_notice, &body.privacy_notice_version)?;
    let mut grants = vec![(Role::Resident, None, None)];
    if body.volunteer {
        grants.push((Role::Volunteer, None, None));
    }
    // Validate and hash before taking the write lock.
    let prepared = registration::prepare_user(
        &state.hashing,
        NewUser {
            email: &body.email,
            password: &body.password,
            display_name: &body.display_name,
            language: body.language,
            home_quarter_id: body.home_quarter_id,
        },
    )
    .await?;
    let txn = state.db.begin_write().await?;
    if let Some(quarter_id) = body.home_quarter_id {
        registration::require_quarter(&txn, quarter_id, "home_quarter_id").await?;
    }
    let user = registration::insert_user(&txn, prepared, &grants).await?;
    let refresh_token = sessions::store_refresh_token(&txn, user.id).await?;
    txn.commit().await?;
    let issued = sessions::issue(&state, user.id, refresh_token).await?;
    let mut response = session_response(actix_web::http::StatusCode::CREATED, issued);
    response
        .add_cookie(&device::cookie(&state, &user.email))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(response)
}

/// A hash to verify against when the email is unknown, so both cases cost the same.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| crypto::hash_password(&crypto::random_token(16)).unwrap_or_default())
}

/// Signs in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; refresh cookie set", body = SessionDto),
        (status = 401, description = "Wrong email or password", body = Problem),
        (status = 429, description = "Too many attempts", body = Problem),
        (status = 503, description = "Too many sign-ins at once; see Retry-After", body = Problem),
    )
)]
#[post("/auth/login")]
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = email::canonical(&body.email);
    // A device that signed in to this account before has its own counter, so wrong
    // passwords from strangers cannot lock the owner out (ARCHITECTURE.md, rate limits).
    let known = device::known_device(&state, &req, &email);
    let account = match &known {
        Some(nonce) => AccountKey::KnownDevice(nonce),
        None => AccountKey::Email(&email),
    };
    state.limits.check(&client_ip(&req), Some(account))?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(state.db.conn())
        .await?;
    let phc = found
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let password = body.password.clone();
    let valid = state
        .hashing
        .run(move || crypto::verify_password(&password, &phc))
        .await?;
    match found {
        Some(user) if valid => {
            let issued = sessions::start(&state, user.id).await?;
            let mut response = session_response(actix_web::http::StatusCode::OK, issued);
            response
                .add_cookie(&device::cookie(&state, &email))
                .map_err(|e| ApiError::Internal(e.into()))?;
            Ok(response)
        }
        _ => Err(ApiError::Unauthenticated),
    }
}

/// Exchanges the refresh cookie for a new access token (and a new refresh cookie).
#[utoipa::path(
    tag = "auth",
    // The cookie is optional: without one there is nothing to refresh or end.
    security((), ("refresh_cookie" = [])),
    params(("x-quartier-csrf" = String, Header, description = "Any value; required")),
    responses(
        (status = 200, description = "New session; cookie rotated", body = SessionDto),
        (status = 204, description = "No refresh cookie: no session to restore (an anonymous visit, not an error)"),
        (status = 401, description = "Expired, revoked or reused refresh token; cookie cleared", body = Problem),
        (status = 403, description = "CSRF header missing", body = Problem),
    )
)]
#[post("/auth/refresh")]
async fn refresh(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_csrf_header(&req)?;
    let Some(cookie) = req.cookie(REFRESH_COOKIE) else {
        // Every anonymous page load asks; an error status would be logged in the
        // browser's console on each of them.
        return Ok(HttpResponse::NoContent().finish());
    };
    match sessions::rotate(&state, cookie.value()).await {
        Ok(issued) => Ok(session_response(actix_web::http::StatusCode::OK, issued)),
        Err(ApiError::Unauthenticated) => {
            let mut response = ApiError::Unauthenticated.error_response();
            response.add_cookie(&sessions::clear_cookie(&state)).ok();
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

/// Ends the session of the refresh cookie.
#[utoipa::path(
    tag = "auth",
    // The cookie is optional: without one there is nothing to refresh or end.
    security((), ("refresh_cookie" = [])),
    params(("x-quartier-csrf" = String, Header, description = "Any value; required")),
    responses(
        (status = 204, description = "Signed out; cookie cleared"),
        (status = 403, description = "CSRF header missing", body = Problem),
    )
)]
#[post("/auth/logout")]
async fn logout(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_csrf_header(&req)?;
    if let Some(cookie) = req.cookie(REFRESH_COOKIE) {
        sessions::revoke(&state, cookie.value()).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(sessions::clear_cookie(&state))
        .finish())
}

/// A new manager sets a password with the code from an invitation and is signed in.
///
/// The code is the short one an admin reads out (`ABCD-EFGH`, any case, dash and
/// spaces optional) or the one in the invitation link. Attempts are limited per
/// client IP, as sign-in and reset codes are.
#[utoipa::path(
    tag = "auth",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 201, description = "Manager account created", body = SessionDto),
        (status = 400, description = "Invalid, used or expired code (`errors[0]`: field `code`, code `invalid_code`), or invalid password", body = Problem),
        (status = 409, description = "Email already registered", body = Problem),
        (status = 429, description = "Too many attempts from this address", body = Problem),
    )
)]
#[post("/auth/invitations/accept")]
async fn accept_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<AcceptInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check(&client_ip(&req), None)?;
    check_consent(body.accept_privacy_notice, &body.privacy_notice_version)?;
    let user_id = invitations::accept_invitation(&state, &body.code, &body.password).await?;
    let issued = sessions::start(&state, user_id).await?;
    Ok(session_response(
        actix_web::http::StatusCode::CREATED,
        issued,
    ))
}

/// Sets a new password with a one-time code a manager gave out.
#[utoipa::path(
    tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password changed; all sessions ended"),
        (status = 400, description = "Wrong, used or expired code, or invalid password", body = Problem),
        (status = 429, description = "Too many attempts", body = Problem),
    )
)]
#[post("/auth/reset-password")]
async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .check(&client_ip(&req), Some(AccountKey::Email(&body.email)))?;
    passwords::redeem_reset_code(&state, &body.email, &body.code, &body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
