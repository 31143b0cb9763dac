use actix_web::{HttpResponse, get, post, put, web};
use shared::Problem;
use shared::quarters::{QuarterDto, QuarterRequest};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{Admin, Manager};
use crate::error::ApiError;
use crate::quarters::service;
use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(get_one)
        .service(create)
        .service(update);
}

/// All quarters with their population figures.
#[utoipa::path(tag = "quarters", operation_id = "list_quarters", responses((status = 200, body = Vec<QuarterDto>)))]
#[get("/quarters")]
async fn list(state: web::Data<AppState>) -> Result<web::Json<Vec<QuarterDto>>, ApiError> {
    Ok(web::Json(service::list(&state).await?))
}

/// One quarter.
#[utoipa::path(tag = "quarters", operation_id = "get_quarter", params(("id" = Uuid, Path)),
    responses((status = 200, body = QuarterDto), (status = 404, body = Problem)))]
#[get("/quarters/{id}")]
async fn get_one(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<QuarterDto>, ApiError> {
    Ok(web::Json(service::get(&state, id.into_inner()).await?))
}

/// Creates a quarter in the admin's organisation.
#[utoipa::path(tag = "quarters", operation_id = "create_quarter", security(("bearer" = [])), request_body = QuarterRequest,
    responses((status = 201, body = QuarterDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem)))]
#[post("/quarters")]
async fn create(
    Admin(user): Admin,
    state: web::Data<AppState>,
    body: web::Json<QuarterRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = service::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Updates a quarter's name, description and population figures.
#[utoipa::path(tag = "quarters", operation_id = "update_quarter", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = QuarterRequest,
    responses((status = 200, body = QuarterDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "Not a manager of this quarter nor an admin of its organisation", body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Another quarter of the organisation has this name", body = Problem)))]
#[put("/quarters/{id}")]
async fn update(
    Manager(user): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<QuarterRequest>,
) -> Result<web::Json<QuarterDto>, ApiError> {
    Ok(web::Json(
        service::update(&state, &user, id.into_inner(), body.into_inner()).await?,
    ))
}
