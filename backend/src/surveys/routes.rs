//! HTTP routes of surveys. Staff routes under `/surveys`, the answering page's under
//! `/public/surveys` (no sign-in needed; a token is used when sent).

use actix_web::http::header::{self, ContentEncoding, ContentType};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use shared::Problem;
use shared::surveys::{
    AccessCodeLookupDto, CodeCountsDto, EnteredResponseRequest, GenerateCodesRequest,
    GeneratedCodesDto, MySurveyDto, PublicSurveyDto, ResultsFilter, SubmitResponseRequest,
    SubmittedDto, SurveyDraftDto, SurveyDto, SurveyRequest, SurveyResultsDto, SurveyStatusRequest,
    SurveySummaryDto, SurveyTemplateDto, template,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{answering, authoring, codes, mine, results};
use crate::auth::{AuthUser, Manager, MaybeUser};
use crate::error::ApiError;
use crate::startup::AppState;

/// Every survey route, the answering page's first: the router tries them in this order,
/// and a submission is the hot path.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(submit)
        .service(public_survey)
        .service(list)
        .service(create)
        .service(templates)
        .service(get_one)
        .service(update)
        .service(remove)
        .service(set_status)
        .service(duplicate)
        .service(generate_codes)
        .service(code_counts)
        .service(enter_response)
        .service(survey_results)
        .service(my_surveys)
        .service(lookup_code)
        .service(get_draft)
        .service(put_draft)
        .service(delete_draft);
}

fn submitted(dto: SubmittedDto) -> HttpResponse {
    if dto.duplicate {
        HttpResponse::Ok().json(dto)
    } else {
        HttpResponse::Created().json(dto)
    }
}

/// Surveys of the caller's quarters and organisations, newest first.
#[utoipa::path(tag = "surveys", security(("bearer" = [])),
    responses((status = 200, body = Vec<SurveySummaryDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/surveys")]
async fn list(
    Manager(me): Manager,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<SurveySummaryDto>>, ApiError> {
    Ok(web::Json(authoring::list(&state, &me).await?))
}

/// Creates a draft survey.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), request_body = SurveyRequest,
    responses((status = 201, body = SurveyDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
#[post("/surveys")]
async fn create(
    Manager(me): Manager,
    state: web::Data<AppState>,
    body: web::Json<SurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = authoring::create(&state, &me, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Templates to start a survey from.
#[utoipa::path(tag = "surveys", security(("bearer" = [])),
    responses((status = 200, body = Vec<SurveyTemplateDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[get("/survey-templates")]
async fn templates(manager: Manager) -> web::Json<Vec<SurveyTemplateDto>> {
    let _ = manager;
    web::Json(template::all())
}

/// One survey with its questions.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = SurveyDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
#[get("/surveys/{id}")]
async fn get_one(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<SurveyDto>, ApiError> {
    Ok(web::Json(
        authoring::get(&state, &me, id.into_inner()).await?,
    ))
}

/// Replaces a survey's texts, questions and settings. Once it has responses, changes
/// that would break them get 409.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SurveyRequest,
    responses((status = 200, body = SurveyDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[put("/surveys/{id}")]
async fn update(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SurveyRequest>,
) -> Result<web::Json<SurveyDto>, ApiError> {
    Ok(web::Json(
        authoring::update(&state, &me, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Deletes a draft.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
#[delete("/surveys/{id}")]
async fn remove(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authoring::delete(&state, &me, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Opens, closes, re-opens or archives a survey.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SurveyStatusRequest,
    responses((status = 200, body = SurveyDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/surveys/{id}/status")]
async fn set_status(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SurveyStatusRequest>,
) -> Result<web::Json<SurveyDto>, ApiError> {
    Ok(web::Json(
        authoring::set_status(&state, &me, id.into_inner(), body.status).await?,
    ))
}

/// A new draft with the same questions and settings.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = SurveyDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
#[post("/surveys/{id}/duplicate")]
async fn duplicate(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let copy = authoring::duplicate(&state, &me, id.into_inner()).await?;
    Ok(HttpResponse::Created().json(copy))
}

/// Generates single-use access codes for letters to one quarter. They are shown only
/// in this answer (with QR codes and a CSV for the mail merge): they are stored hashed.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = GenerateCodesRequest,
    responses((status = 201, body = GeneratedCodesDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/surveys/{id}/codes")]
async fn generate_codes(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<GenerateCodesRequest>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let base = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let generated = codes::generate(&state, &me, id.into_inner(), body.into_inner(), &base).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(generated))
}

/// Generated and redeemed codes per quarter.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<CodeCountsDto>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
#[get("/surveys/{id}/codes")]
async fn code_counts(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<CodeCountsDto>>, ApiError> {
    Ok(web::Json(
        codes::counts(&state, &me, id.into_inner()).await?,
    ))
}

/// A paper, telephone or assisted response typed in by a manager.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = EnteredResponseRequest,
    responses((status = 201, body = SubmittedDto), (status = 200, description = "A retry of a stored response", body = SubmittedDto),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/surveys/{id}/responses")]
async fn enter_response(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<EnteredResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(submitted(
        answering::enter(&state, &me, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Results for the groups the filter selects, within the caller's quarters.
#[utoipa::path(tag = "surveys", security(("bearer" = [])), params(("id" = Uuid, Path), ResultsFilter),
    responses((status = 200, body = SurveyResultsDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/surveys/{id}/results")]
async fn survey_results(
    Manager(me): Manager,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    filter: web::Query<ResultsFilter>,
) -> Result<web::Json<SurveyResultsDto>, ApiError> {
    Ok(web::Json(
        results::results(&state, &me, id.into_inner(), filter.into_inner()).await?,
    ))
}

/// Open surveys for the caller's home quarter, with whether they took part already:
/// what their start page offers. Surveys of other quarters are never listed.
#[utoipa::path(tag = "answering", security(("bearer" = [])),
    responses((status = 200, body = Vec<MySurveyDto>), (status = 401, body = Problem)))]
#[get("/me/surveys")]
async fn my_surveys(
    me: AuthUser,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<MySurveyDto>>, ApiError> {
    Ok(web::Json(mine::open_for(&state, &me).await?))
}

/// A survey for the answering page: open, or closed (so the page can say so).
#[utoipa::path(tag = "answering", params(("id" = Uuid, Path)),
    responses((status = 200, body = PublicSurveyDto), (status = 404, body = Problem)))]
#[get("/public/surveys/{id}")]
async fn public_survey(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let body = answering::public_body(&state, id.into_inner()).await?;
    let brotli = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| crate::web::accepts(v, "br"));
    let mut answer = HttpResponse::Ok();
    answer
        .content_type(ContentType::json())
        .insert_header((header::VARY, "Accept-Encoding"));
    // Already compressed: Compress leaves an answer with a Content-Encoding alone, and
    // compresses the plain one for a client that takes only gzip.
    Ok(if brotli {
        answer
            .insert_header(ContentEncoding::Brotli)
            .body(body.brotli.clone())
    } else {
        answer.body(body.json.clone())
    })
}

/// The survey of an access code typed from a letter (`abcd efgh` is read as
/// `ABCD-EFGH`). Redeems nothing.
#[utoipa::path(tag = "answering", params(("code" = String, Path, description = "The code from the letter")),
    responses((status = 200, body = AccessCodeLookupDto), (status = 404, body = Problem)))]
#[get("/public/access-codes/{code}")]
async fn lookup_code(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<AccessCodeLookupDto>, ApiError> {
    Ok(web::Json(codes::lookup(&state, &code).await?))
}

/// Submits a response. `id` is the client's key: a retry gets 200 with
/// `duplicate: true` and stores nothing.
#[utoipa::path(tag = "answering", params(("id" = Uuid, Path)), request_body = SubmitResponseRequest,
    security((), ("bearer" = [])),
    responses((status = 201, body = SubmittedDto), (status = 200, description = "A retry of a stored response", body = SubmittedDto),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/public/surveys/{id}/responses")]
async fn submit(
    MaybeUser(me): MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SubmitResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(submitted(
        answering::submit(&state, me.as_ref(), id.into_inner(), body.into_inner()).await?,
    ))
}

/// The signed-in person's saved progress.
#[utoipa::path(tag = "answering", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = SurveyDraftDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
#[get("/public/surveys/{id}/draft")]
async fn get_draft(
    me: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<SurveyDraftDto>, ApiError> {
    Ok(web::Json(
        answering::get_draft(&state, &me, id.into_inner()).await?,
    ))
}

/// Saves the signed-in person's progress.
#[utoipa::path(tag = "answering", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SurveyDraftDto,
    responses((status = 200, body = SurveyDraftDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
#[put("/public/surveys/{id}/draft")]
async fn put_draft(
    me: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SurveyDraftDto>,
) -> Result<web::Json<SurveyDraftDto>, ApiError> {
    Ok(web::Json(
        answering::put_draft(&state, &me, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Forgets the signed-in person's progress.
#[utoipa::path(tag = "answering", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem)))]
#[delete("/public/surveys/{id}/draft")]
async fn delete_draft(
    me: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    answering::delete_draft(&state, &me, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
