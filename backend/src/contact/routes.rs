use actix_web::{get, put, web};
use shared::Problem;
use shared::contact::{OfficeContactDto, OfficeContactRequest};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{Admin, MaybeUser};
use crate::contact::service;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list).service(update);
}

/// The offices to show: without sign-in every organisation's (usually there is one);
/// signed in, those of the person's own organisations (their home quarter's, their
/// staff roles'), or every one when none is known.
#[utoipa::path(tag = "contact", operation_id = "list_contacts", security((), ("bearer" = [])),
    responses((status = 200, body = Vec<OfficeContactDto>), (status = 401, body = Problem)))]
#[get("/contacts")]
async fn list(
    MaybeUser(user): MaybeUser,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<OfficeContactDto>>, ApiError> {
    Ok(web::Json(service::list(&state, user.as_ref()).await?))
}

/// Replaces an organisation's contact details (its admins only). Invalid fields are
/// all named in one 400 `validation_failed` and nothing is stored; the change is
/// written to the audit log.
#[utoipa::path(tag = "contact", operation_id = "update_organisation_contact", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = OfficeContactRequest,
    responses((status = 200, body = OfficeContactDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[put("/organisations/{id}/contact")]
async fn update(
    Admin(user): Admin,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<OfficeContactRequest>,
) -> Result<web::Json<OfficeContactDto>, ApiError> {
    Ok(web::Json(
        service::update(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}
