//! `/api/v1/me/*` (own account), `/api/v1/manager/*` and `/api/v1/admin/*` (staff).

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use shared::accounts::{
    AuditEntryDto, ChangePasswordRequest, CreateInvitationRequest, DeleteAccountRequest,
    InvitationDto, MyDataExport, PersonDto, ResetCodeDto, UpdateProfileRequest,
};
use shared::{MeDto, Problem, SessionDto};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::accounts::{invitations, my_data, passwords, profile, staff};
use crate::auth::limits::AccountKey;
use crate::auth::routes::client_ip;
use crate::auth::{Admin, AuthUser, Manager, extract, sessions};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(me)
        .service(update_me)
        .service(change_password)
        .service(export)
        .service(delete_me)
        .service(residents)
        .service(reset_code)
        .service(managers)
        .service(invite)
        .service(audit_log);
}

/// The signed-in user's account.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MeDto), (status = 401, body = Problem)))]
#[get("/me")]
async fn me(user: AuthUser) -> Result<web::Json<MeDto>, ApiError> {
    Ok(web::Json(profile::me_dto(&user)?))
}

/// Changes profile fields and preferences; absent fields stay as they are.
/// `volunteer` starts or stops offering help (residents only, else 403; audit-logged).
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = UpdateProfileRequest,
    responses((status = 200, body = MeDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "`volunteer` on a staff account", body = Problem)))]
#[patch("/me")]
async fn update_me(
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<UpdateProfileRequest>,
) -> Result<web::Json<MeDto>, ApiError> {
    profile::update_profile(&state, &user, body.into_inner()).await?;
    let reloaded = extract::load(&state, user.id()).await?;
    Ok(web::Json(profile::me_dto(&reloaded)?))
}

/// Changes the password. Every session ends; this client gets a new one.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 200, description = "New session; cookie set", body = SessionDto),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 429, description = "Too many password checks for this account", body = Problem)))]
#[post("/me/password")]
async fn change_password(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    // Each check is an argon2 verify of the current password: a stolen access token
    // must not become unlimited guesses.
    state
        .limits
        .check(&client_ip(&req), Some(AccountKey::User(user.id())))?;
    passwords::change_password(&state, &user, &body.current_password, &body.new_password).await?;
    let issued = sessions::start(&state, user.id()).await?;
    Ok(HttpResponse::Ok()
        .cookie(issued.cookie)
        .json(issued.session))
}

/// Everything stored about the signed-in user, as a JSON download.
#[utoipa::path(tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MyDataExport), (status = 401, body = Problem)))]
#[get("/me/export")]
async fn export(user: AuthUser, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let data = my_data::export(&state, &user).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"quartier-meine-daten.json\"",
        ))
        .json(data))
}

/// Deletes the account (the password confirms). Identified data goes; statistics stay.
#[utoipa::path(tag = "me", security(("bearer" = [])), request_body = DeleteAccountRequest,
    responses((status = 204, description = "Deleted; cookie cleared"), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 409, description = "Last admin", body = Problem),
        (status = 429, description = "Too many password checks for this account", body = Problem)))]
#[delete("/me")]
async fn delete_me(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<DeleteAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .check(&client_ip(&req), Some(AccountKey::User(user.id())))?;
    profile::delete_account(&state, &user, &body.password).await?;
    Ok(HttpResponse::NoContent()
        .cookie(sessions::clear_cookie(&state))
        .finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct QuarterQuery {
    /// Only this quarter (must be one the caller manages).
    quarter_id: Option<Uuid>,
}

/// Residents of the quarters the caller manages. Access is audit-logged.
#[utoipa::path(tag = "manager", security(("bearer" = [])), params(QuarterQuery),
    responses((status = 200, body = Vec<PersonDto>), (status = 401, body = Problem),
        (status = 403, description = "Not staff", body = Problem),
        (status = 404, description = "`quarter_id` is not one of the caller's quarters (or no quarter at all)", body = Problem)))]
#[get("/manager/residents")]
async fn residents(
    Manager(user): Manager,
    state: web::Data<AppState>,
    query: web::Query<QuarterQuery>,
) -> Result<web::Json<Vec<PersonDto>>, ApiError> {
    Ok(web::Json(
        staff::list_residents(&state, &user, query.quarter_id).await?,
    ))
}

/// Issues a one-time password reset code for a resident who phoned the office.
#[utoipa::path(tag = "manager", security(("bearer" = [])),
    params(("user_id" = Uuid, Path)),
    responses((status = 201, body = ResetCodeDto), (status = 401, body = Problem),
        (status = 403, description = "Not staff", body = Problem),
        (status = 404, description = "No such resident in your quarters (staff accounts included)", body = Problem)))]
#[post("/manager/residents/{user_id}/reset-code")]
async fn reset_code(
    Manager(user): Manager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let code = passwords::issue_reset_code(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::Created().json(code))
}

/// Managers of the admin's organisation. Access is audit-logged.
#[utoipa::path(tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<PersonDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/admin/managers")]
async fn managers(
    Admin(user): Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<PersonDto>>, ApiError> {
    Ok(web::Json(staff::list_managers(&state, &user).await?))
}

/// Invites a manager for quarters of the admin's organisation. The code (`ABCD-EFGH`,
/// short enough to read out on the phone) and the link with it are shown once.
#[utoipa::path(tag = "admin", security(("bearer" = [])), request_body = CreateInvitationRequest,
    responses((status = 201, body = InvitationDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
#[post("/admin/invitations")]
async fn invite(
    Admin(user): Admin,
    state: web::Data<AppState>,
    body: web::Json<CreateInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let invitation = invitations::create_invitation(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(invitation))
}

/// Who accessed personal data in the admin's organisation, newest first.
#[utoipa::path(tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEntryDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/admin/audit")]
async fn audit_log(
    Admin(user): Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<AuditEntryDto>>, ApiError> {
    Ok(web::Json(staff::audit_log(&state, &user).await?))
}
