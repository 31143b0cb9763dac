use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, delete, get, post, put, web};
use shared::Problem;
use shared::help::{
    ApplyBatchDto, ApplyBatchRequest, BatchProposalDto, HelpAction, HelpRequestDto,
    HelpRequestRequest, NotificationsDto, PhonedHelpRequest, ReadNotificationsRequest,
    SuggestionDto, VerifyVolunteerRequest, VolunteerBoardDto, VolunteerOfferDto,
    VolunteerOfferRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, Manager};
use crate::error::ApiError;
use crate::help::{batch, calendar, notifications as notes, offers, requests, workflow};
use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_offer)
        .service(put_my_offer)
        .service(volunteers)
        .service(verify)
        .service(unverify)
        .service(ask)
        .service(my_requests)
        .service(phoned)
        .service(board)
        .service(suggestions)
        .service(act)
        .service(volunteer_board)
        .service(notifications)
        .service(read_notifications)
        .service(appointment)
        .service(batch_proposal)
        .service(apply_batch);
}

/// The caller's offer of help; 404 when they have none yet.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "The offer", body = VolunteerOfferDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No offer yet", body = Problem, content_type = "application/problem+json")))]
#[get("/me/offer")]
async fn my_offer(
    me: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<VolunteerOfferDto>, ApiError> {
    Ok(web::Json(offers::mine(&state, &me).await?))
}

/// Creates or replaces the caller's offer (volunteers). A verification is kept.
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = VolunteerOfferRequest,
    responses((status = 200, description = "The stored offer", body = VolunteerOfferDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a volunteer", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Invalid fields, nothing stored", body = Problem, content_type = "application/problem+json")))]
#[put("/me/offer")]
async fn put_my_offer(
    me: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<VolunteerOfferRequest>,
) -> Result<web::Json<VolunteerOfferDto>, ApiError> {
    Ok(web::Json(
        offers::put(&state, &me, body.into_inner()).await?,
    ))
}

/// Volunteers serving the caller's quarters, those still to verify first.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "Offers", body = Vec<VolunteerOfferDto>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json")))]
#[get("/manager/volunteers")]
async fn volunteers(
    Manager(me): Manager,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<VolunteerOfferDto>>, ApiError> {
    Ok(web::Json(offers::for_staff(&state, &me).await?))
}

/// Verifies a volunteer serving one of the caller's quarters (audited).
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("user_id" = Uuid, Path)),
    request_body = VerifyVolunteerRequest,
    responses((status = 200, description = "The verified offer", body = VolunteerOfferDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such volunteer in the caller's quarters", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "Invalid day", body = Problem, content_type = "application/problem+json")))]
#[put("/manager/volunteers/{user_id}/verification")]
async fn verify(
    Manager(me): Manager,
    state: web::Data<AppState>,
    user_id: web::Path<Uuid>,
    body: web::Json<VerifyVolunteerRequest>,
) -> Result<web::Json<VolunteerOfferDto>, ApiError> {
    Ok(web::Json(
        offers::verify(&state, &me, user_id.into_inner(), body.into_inner()).await?,
    ))
}

/// Withdraws a volunteer's verification (audited).
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("user_id" = Uuid, Path)),
    responses((status = 200, description = "The offer, unverified", body = VolunteerOfferDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such volunteer in the caller's quarters", body = Problem, content_type = "application/problem+json")))]
#[delete("/manager/volunteers/{user_id}/verification")]
async fn unverify(
    Manager(me): Manager,
    state: web::Data<AppState>,
    user_id: web::Path<Uuid>,
) -> Result<web::Json<VolunteerOfferDto>, ApiError> {
    Ok(web::Json(
        offers::unverify(&state, &me, user_id.into_inner()).await?,
    ))
}

/// Asks for help (signed-in residents, for themselves). Sending the same `id` again
/// returns the stored request.
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = HelpRequestRequest,
    responses((status = 200, description = "The stored request", body = HelpRequestDto),
        (status = 400, description = "Invalid fields, nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The id belongs to another request", body = Problem, content_type = "application/problem+json")))]
#[post("/help/requests")]
async fn ask(
    me: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<HelpRequestRequest>,
) -> Result<web::Json<HelpRequestDto>, ApiError> {
    Ok(web::Json(
        requests::ask(&state, &me, body.into_inner()).await?,
    ))
}

/// The caller's own requests, newest first.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "Requests", body = Vec<HelpRequestDto>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
#[get("/me/help-requests")]
async fn my_requests(
    me: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<HelpRequestDto>>, ApiError> {
    Ok(web::Json(requests::mine(&state, &me).await?))
}

/// A request taken on the telephone for someone who may have no account.
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = PhonedHelpRequest,
    responses((status = 200, description = "The stored request", body = HelpRequestDto),
        (status = 400, description = "Invalid fields, nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The id belongs to another request", body = Problem, content_type = "application/problem+json")))]
#[post("/manager/help-requests")]
async fn phoned(
    Manager(me): Manager,
    state: web::Data<AppState>,
    body: web::Json<PhonedHelpRequest>,
) -> Result<web::Json<HelpRequestDto>, ApiError> {
    Ok(web::Json(
        requests::phoned(&state, &me, body.into_inner()).await?,
    ))
}

/// Which quarter's board.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct BoardQuery {
    /// One of the caller's quarters; all of them when absent.
    quarter_id: Option<Uuid>,
}

/// The requests of the caller's quarters, open ones first.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(BoardQuery),
    responses((status = 200, description = "Requests", body = Vec<HelpRequestDto>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's quarters", body = Problem, content_type = "application/problem+json")))]
#[get("/manager/help-requests")]
async fn board(
    Manager(me): Manager,
    state: web::Data<AppState>,
    query: web::Query<BoardQuery>,
) -> Result<web::Json<Vec<HelpRequestDto>>, ApiError> {
    Ok(web::Json(
        requests::board(&state, &me, query.into_inner().quarter_id).await?,
    ))
}

/// The best volunteers for a request, with the reasons to show.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "Suggestions, best first", body = Vec<SuggestionDto>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's quarters", body = Problem, content_type = "application/problem+json")))]
#[get("/manager/help-requests/{id}/suggestions")]
async fn suggestions(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<SuggestionDto>>, ApiError> {
    Ok(web::Json(
        requests::suggestions(&state, &me, id.into_inner()).await?,
    ))
}

/// One step of a request's workflow (see `HelpAction`). A step that is no longer possible
/// (someone else was faster) is 409.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = HelpAction,
    responses((status = 200, description = "The request after the step", body = HelpRequestDto),
        (status = 400, description = "Invalid step", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not this person's step", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request for this person", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request has moved on", body = Problem, content_type = "application/problem+json")))]
#[post("/help/requests/{id}/actions")]
async fn act(
    me: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<HelpAction>,
) -> Result<web::Json<HelpRequestDto>, ApiError> {
    Ok(web::Json(
        workflow::act(&state, &me, id.into_inner(), body.into_inner()).await?,
    ))
}

/// A volunteer's view: open requests they may take (verified volunteers; the others see
/// counts per category) and their tasks. 404 without an offer.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "The volunteer's board", body = VolunteerBoardDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No offer yet", body = Problem, content_type = "application/problem+json")))]
#[get("/me/volunteer-board")]
async fn volunteer_board(
    me: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<VolunteerBoardDto>, ApiError> {
    Ok(web::Json(workflow::volunteer_board(&state, &me).await?))
}

/// The caller's newest notifications (at most 50), newest first, and the unread count.
#[utoipa::path(tag = "help", security(("bearer" = [])),
    responses((status = 200, description = "Notifications", body = NotificationsDto),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
#[get("/me/notifications")]
async fn notifications(
    me: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<NotificationsDto>, ApiError> {
    Ok(web::Json(notes::mine(&state, &me).await?))
}

/// Marks notifications of the caller read (at most 200 ids; others' ids change nothing).
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = ReadNotificationsRequest,
    responses((status = 204, description = "Marked read"),
        (status = 400, description = "Too many ids", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
#[post("/me/notifications/read")]
async fn read_notifications(
    me: AuthUser,
    state: web::Data<AppState>,
    body: web::Json<ReadNotificationsRequest>,
) -> Result<HttpResponse, ApiError> {
    notes::read(&state, &me, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The agreed appointment as an iCalendar file, for its resident and its volunteer once
/// both agreed.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The appointment (RFC 5545)", body = String, content_type = "text/calendar"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No agreed appointment of this person", body = Problem, content_type = "application/problem+json")))]
#[get("/help/requests/{id}/appointment.ics")]
async fn appointment(
    me: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let ics = calendar::appointment(&state, &me, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("quartier-termin.ics".into())],
        })
        .body(ics))
}

/// Who should take which open request: the best total under every volunteer's weekly
/// limit, with greedy's total beside it.
#[utoipa::path(tag = "help", security(("bearer" = [])), params(BoardQuery),
    responses((status = 200, description = "The proposal", body = BatchProposalDto),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not one of the caller's quarters", body = Problem, content_type = "application/problem+json")))]
#[get("/manager/help-requests/batch")]
async fn batch_proposal(
    Manager(me): Manager,
    state: web::Data<AppState>,
    query: web::Query<BoardQuery>,
) -> Result<web::Json<BatchProposalDto>, ApiError> {
    Ok(web::Json(
        batch::proposal(&state, &me, query.into_inner().quarter_id).await?,
    ))
}

/// Proposes the given pairs, each as the `propose` step; pairs no longer possible are
/// skipped and named.
#[utoipa::path(tag = "help", security(("bearer" = [])), request_body = ApplyBatchRequest,
    responses((status = 200, description = "What was proposed and what was skipped", body = ApplyBatchDto),
        (status = 400, description = "Too many pairs", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json")))]
#[post("/manager/help-requests/batch")]
async fn apply_batch(
    Manager(me): Manager,
    state: web::Data<AppState>,
    body: web::Json<ApplyBatchRequest>,
) -> Result<web::Json<ApplyBatchDto>, ApiError> {
    Ok(web::Json(
        batch::apply(&state, &me, body.into_inner()).await?,
    ))
}
