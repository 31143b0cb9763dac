//! The only place that talks HTTP. Pages call the typed functions here.
//!
//! Built directly on the browser's `fetch` (web-sys) rather than gloo-net: we need
//! JSON in and out and the problem body on errors, which is a few lines here,
//! while gloo-net would add the `http` crate and its own error layer to every
//! download of the app.
//!
//! Signed-in calls take the [`Auth`] context: they send its access token, and on a
//! 401 refresh the session once (from the HttpOnly cookie) and try once more.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use serde::{Serialize, de::DeserializeOwned};
use shared::{
    API_PREFIX, ErrorCode, FieldError, HealthDto, MeDto, Problem, SessionDto,
    accounts::{
        AcceptInvitationRequest, AuditEntryDto, CSRF_HEADER, ChangePasswordRequest,
        CreateInvitationRequest, DeleteAccountRequest, InvitationDto, LoginRequest, PersonDto,
        RegisterRequest, ResetCodeDto, ResetPasswordRequest, UpdateProfileRequest, Uuid,
    },
    contact::{OfficeContactDto, OfficeContactRequest},
    help::{
        ApplyBatchDto, ApplyBatchRequest, BatchProposalDto, HelpAction, HelpRequestDto,
        HelpRequestRequest, NotificationsDto, PhonedHelpRequest, ProposalPair,
        ReadNotificationsRequest, SuggestionDto, VerifyVolunteerRequest, VolunteerBoardDto,
        VolunteerOfferDto, VolunteerOfferRequest,
    },
    quarters::{QuarterDto, QuarterRequest},
    surveys::{
        AccessCodeLookupDto,
        // codes, entry, results
        CodeCountsDto,
        EnteredResponseRequest,
        GenerateCodesRequest,
        GeneratedCodesDto,
        MySurveyDto,
        PublicSurveyDto,
        ResultsFilter,
        SubmitResponseRequest,
        SubmittedDto,
        SurveyDraftDto,
        SurveyDto,
        SurveyRequest,
        SurveyResultsDto,
        SurveyStatus,
        SurveyStatusRequest,
        SurveySummaryDto,
        SurveyTemplateDto,
    },
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::{auth::Auth, i18n::Texts};

/// Why an API call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem document (RFC 9457).
    Problem(Problem),
    /// 429: too many attempts; try again after this many seconds, if the server said.
    RateLimited { retry_after: Option<u64> },
    /// No answer: offline, connection dropped, server down.
    Network,
    /// The server answered, but not with something we can read (e.g. a proxy's
    /// HTML error page).
    UnexpectedResponse { status: u16 },
}

impl ApiError {
    /// A message for the reader, in their language.
    pub fn message(&self, texts: &'static Texts) -> String {
        match self {
            ApiError::Problem(problem) => texts.errors.for_code(problem.code).to_owned(),
            ApiError::RateLimited {
                retry_after: Some(seconds),
            } => crate::i18n::fill(
                texts.errors.rate_limited_wait,
                &[("seconds", &seconds.to_string())],
            ),
            ApiError::RateLimited { retry_after: None } => texts.errors.rate_limited.to_owned(),
            ApiError::Network => texts.errors.network.to_owned(),
            ApiError::UnexpectedResponse { .. } => texts.errors.unexpected_response.to_owned(),
        }
    }

    /// The server's error code, if it sent a problem.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(problem) => Some(problem.code),
            ApiError::RateLimited { .. } => Some(ErrorCode::RateLimited),
            _ => None,
        }
    }

    /// The invalid fields, when the server refused a body as `validation_failed`.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem(problem) => &problem.errors,
            _ => &[],
        }
    }
}

/// `GET /api/v1/health`. A degraded server may answer with an error status and
/// still send its health; that is a result, not an error.
pub async fn health() -> Result<HealthDto, ApiError> {
    let answer = send(Call::get("/health")).await?;
    decode(&answer).or_else(|err| serde_json::from_str(&answer.body).map_err(|_| err))
}

/// `GET /quarters`: every quarter, for choosing a home quarter. Public.
pub async fn quarters() -> Result<Vec<QuarterDto>, ApiError> {
    decode(&send(Call::get("/quarters")).await?)
}

/// `GET /contacts`: the offices to show, public. Signed in, the token goes along and
/// the server answers with the person's own organisation's office. As the JSON text
/// that came (a list of `OfficeContactDto`): it is kept on the device as it is, and
/// read where reading it costs the first download nothing (`components/office.rs`).
pub async fn contacts(auth: Auth) -> Result<String, ApiError> {
    let call = Call::get("/contacts");
    let answer = if auth.access_token().is_some() {
        signed_in(auth, call).await?
    } else {
        send(call).await?
    };
    success(answer)
}

/// `PUT /organisations/{id}/contact` (the organisation's admins).
pub async fn save_contact(
    auth: Auth,
    organisation: Uuid,
    request: &OfficeContactRequest,
) -> Result<OfficeContactDto, ApiError> {
    let call = Call::with_body(
        "PUT",
        &format!("/organisations/{organisation}/contact"),
        request,
    )?;
    decode(&signed_in(auth, call).await?)
}

/// `POST /auth/register`: creates the account and signs in.
pub async fn register(request: &RegisterRequest) -> Result<SessionDto, ApiError> {
    decode(&send(Call::post("/auth/register", request)?).await?)
}

/// `POST /auth/login`
pub async fn login(request: &LoginRequest) -> Result<SessionDto, ApiError> {
    decode(&send(Call::post("/auth/login", request)?).await?)
}

/// `POST /auth/invitations/accept`: a new manager sets a password and is signed in.
pub async fn accept_invitation(request: &AcceptInvitationRequest) -> Result<SessionDto, ApiError> {
    decode(&send(Call::post("/auth/invitations/accept", request)?).await?)
}

/// `POST /auth/reset-password` with a code from the neighbourhood office.
pub async fn reset_password(request: &ResetPasswordRequest) -> Result<(), ApiError> {
    expect_empty(&send(Call::post("/auth/reset-password", request)?).await?)
}

/// `POST /auth/refresh`: a new session from the refresh cookie. Prefer
/// [`refresh_session`], which never runs two refreshes at once.
async fn refresh() -> Result<SessionDto, ApiError> {
    let mut call = Call::new("POST", "/auth/refresh");
    call.csrf = true;
    let answer = send(call).await?;
    if answer.status == 204 {
        // No refresh cookie: nobody is signed in. Treated like the 401 of an ended session.
        return Err(ApiError::Problem(Problem {
            kind: format!("{API_PREFIX}/problems/unauthenticated"),
            title: "No session".into(),
            status: 204,
            detail: None,
            code: ErrorCode::Unauthenticated,
            errors: Vec::new(),
        }));
    }
    let status = answer.status;
    answering_lazily!(read_session(success(answer)?)).ok_or(ApiError::UnexpectedResponse { status })
}

/// Reads a session. In the answering app a lazy part (as is [`read_me`]): most people
/// answering from a letter are not signed in, and the session's reader was among the
/// largest in that app's first download.
#[cfg_attr(feature = "answer-app", leptos::lazy)]
fn read_session(json: String) -> Option<SessionDto> {
    serde_json::from_str(&json).ok()
}

#[cfg_attr(feature = "answer-app", leptos::lazy)]
fn read_me(json: String) -> Option<MeDto> {
    serde_json::from_str(&json).ok()
}

/// `POST /auth/logout`: ends the session of the refresh cookie, and removes the cookie.
pub async fn logout() -> Result<(), ApiError> {
    let mut call = Call::new("POST", "/auth/logout");
    call.csrf = true;
    expect_empty(&send(call).await?)
}

/// A refresh that several calls can wait for.
type SharedRefresh = Shared<LocalBoxFuture<'static, Result<SessionDto, ApiError>>>;

thread_local! {
    /// The refresh under way, if any. The server rotates the refresh token on every
    /// use and treats a second use of the old one as theft (ending the session), so
    /// calls that find their token expired at the same moment must share one refresh.
    static REFRESHING: RefCell<Option<SharedRefresh>> = const { RefCell::new(None) };
}

/// Restores or renews the session from the refresh cookie and puts it into `auth`;
/// when the server says there is no session (any more), signs out locally. A
/// network failure leaves the state alone: the session may well still be valid.
pub async fn refresh_session(auth: Auth) -> Result<SessionDto, ApiError> {
    let flight = REFRESHING.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                async move {
                    let result = refresh().await;
                    REFRESHING.with(|cell| cell.borrow_mut().take());
                    match &result {
                        Ok(session) => auth.renew(session.clone()),
                        Err(err) if is_auth_failure(err) => auth.sign_out_locally(),
                        Err(_) => {}
                    }
                    result
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    flight.await
}

fn is_auth_failure(err: &ApiError) -> bool {
    matches!(
        err.code(),
        Some(ErrorCode::Unauthenticated | ErrorCode::Forbidden)
    )
}

/// `GET /me`. The session already carries the user; this is for reloading it.
#[allow(dead_code, reason = "part of the contract; no page needs a reload yet")]
pub async fn me(auth: Auth) -> Result<MeDto, ApiError> {
    decode(&signed_in(auth, Call::get("/me")).await?)
}

/// `PATCH /me`: changes the fields present in `request`.
pub async fn update_me(auth: Auth, request: &UpdateProfileRequest) -> Result<MeDto, ApiError> {
    let call = Call::with_body("PATCH", "/me", request)?;
    let answer = signed_in(auth, call).await?;
    let status = answer.status;
    answering_lazily!(read_me(success(answer)?)).ok_or(ApiError::UnexpectedResponse { status })
}

/// `POST /me/password`: the answer is a new session (all others end).
pub async fn change_password(
    auth: Auth,
    request: &ChangePasswordRequest,
) -> Result<SessionDto, ApiError> {
    decode(&signed_in(auth, Call::post("/me/password", request)?).await?)
}

/// `DELETE /me`, confirmed by the password.
pub async fn delete_me(auth: Auth, request: &DeleteAccountRequest) -> Result<(), ApiError> {
    let call = Call::with_body("DELETE", "/me", request)?;
    expect_empty(&signed_in(auth, call).await?)
}

/// `GET /me/export`: everything stored about the user, as the JSON text the server
/// sent (kept whole, so a field this app does not know yet is still in the download).
pub async fn export_my_data(auth: Auth) -> Result<String, ApiError> {
    let answer = signed_in(auth, Call::get("/me/export")).await?;
    let _: serde_json::Value = decode(&answer)?;
    Ok(answer.body)
}

/// `GET /me/export`, read for the page that shows it (`/profile/data`).
pub async fn my_data(auth: Auth) -> Result<shared::accounts::MyDataExport, ApiError> {
    decode(&signed_in(auth, Call::get("/me/export")).await?)
}

/// `POST /quarters` (admins).
pub async fn create_quarter(auth: Auth, request: &QuarterRequest) -> Result<QuarterDto, ApiError> {
    decode(&signed_in(auth, Call::post("/quarters", request)?).await?)
}

/// `PUT /quarters/{id}` (admins, and managers of the quarter).
pub async fn update_quarter(
    auth: Auth,
    id: Uuid,
    request: &QuarterRequest,
) -> Result<QuarterDto, ApiError> {
    let call = Call::with_body("PUT", &format!("/quarters/{id}"), request)?;
    decode(&signed_in(auth, call).await?)
}

/// `GET /manager/residents`, optionally of one quarter only.
pub async fn residents(auth: Auth, quarter: Option<Uuid>) -> Result<Vec<PersonDto>, ApiError> {
    let path = match quarter {
        Some(id) => format!("/manager/residents?quarter_id={id}"),
        None => "/manager/residents".to_owned(),
    };
    decode(&signed_in(auth, Call::get(&path)).await?)
}

/// `POST /manager/residents/{id}/reset-code`
pub async fn issue_reset_code(auth: Auth, user: Uuid) -> Result<ResetCodeDto, ApiError> {
    let call = Call::new("POST", &format!("/manager/residents/{user}/reset-code"));
    decode(&signed_in(auth, call).await?)
}

/// `GET /admin/managers`
pub async fn managers(auth: Auth) -> Result<Vec<PersonDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/admin/managers")).await?)
}

/// `POST /admin/invitations`
pub async fn invite_manager(
    auth: Auth,
    request: &CreateInvitationRequest,
) -> Result<InvitationDto, ApiError> {
    decode(&signed_in(auth, Call::post("/admin/invitations", request)?).await?)
}

/// `GET /admin/audit`
pub async fn audit_log(auth: Auth) -> Result<Vec<AuditEntryDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/admin/audit")).await?)
}

/// `GET /public/surveys/{id}`: a survey to answer, and the JSON it came as (to keep
/// on the phone as it is). Public.
pub async fn public_survey(id: Uuid) -> Result<(PublicSurveyDto, String), ApiError> {
    let answer = send(Call::get(&format!("/public/surveys/{id}"))).await?;
    Ok((decode(&answer)?, answer.body))
}

/// `GET /public/access-codes/{code}`: the survey of a code typed from a letter.
pub async fn lookup_code(code: &str) -> Result<AccessCodeLookupDto, ApiError> {
    let code = String::from(js_sys::encode_uri_component(code.trim()));
    decode(&send(Call::get(&format!("/public/access-codes/{code}"))).await?)
}

/// `POST /public/surveys/{id}/responses`: sends a response, signed in when someone
/// is (the survey may be for signed-in residents). A retry with the same key is
/// answered as the first try was.
pub async fn submit_response(
    auth: Auth,
    survey: Uuid,
    request: &SubmitResponseRequest,
) -> Result<SubmittedDto, ApiError> {
    let call = Call::post(&format!("/public/surveys/{survey}/responses"), request)?;
    let answer = if auth.access_token().is_some() {
        signed_in(auth, call).await?
    } else {
        send(call).await?
    };
    decode(&answer)
}

/// `GET /me/surveys`: open surveys for the signed-in person's home quarter.
pub async fn my_surveys(auth: Auth) -> Result<Vec<MySurveyDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/me/surveys")).await?)
}

/// `GET /public/surveys/{id}/draft`: a signed-in person's progress, if any.
pub async fn survey_draft(auth: Auth, survey: Uuid) -> Result<SurveyDraftDto, ApiError> {
    decode(&signed_in(auth, Call::get(&format!("/public/surveys/{survey}/draft"))).await?)
}

/// `PUT /public/surveys/{id}/draft`
pub async fn save_survey_draft(
    auth: Auth,
    survey: Uuid,
    draft: &SurveyDraftDto,
) -> Result<SurveyDraftDto, ApiError> {
    let call = Call::with_body("PUT", &format!("/public/surveys/{survey}/draft"), draft)?;
    decode(&signed_in(auth, call).await?)
}

// Surveys: authoring

/// `GET /surveys`: the surveys of the caller's quarters, newest first.
pub async fn surveys(auth: Auth) -> Result<Vec<SurveySummaryDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/surveys")).await?)
}

/// `GET /survey-templates`
pub async fn survey_templates(auth: Auth) -> Result<Vec<SurveyTemplateDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/survey-templates")).await?)
}

/// `POST /surveys`: a new draft.
pub async fn create_survey(auth: Auth, request: &SurveyRequest) -> Result<SurveyDto, ApiError> {
    decode(&signed_in(auth, Call::post("/surveys", request)?).await?)
}

/// `GET /surveys/{id}`
pub async fn survey(auth: Auth, id: Uuid) -> Result<SurveyDto, ApiError> {
    decode(&signed_in(auth, Call::get(&format!("/surveys/{id}"))).await?)
}

/// `PUT /surveys/{id}`: 409 when the change would break stored responses.
pub async fn update_survey(
    auth: Auth,
    id: Uuid,
    request: &SurveyRequest,
) -> Result<SurveyDto, ApiError> {
    let call = Call::with_body("PUT", &format!("/surveys/{id}"), request)?;
    decode(&signed_in(auth, call).await?)
}

/// `DELETE /surveys/{id}` (drafts only).
pub async fn delete_survey(auth: Auth, id: Uuid) -> Result<(), ApiError> {
    let call = Call::new("DELETE", &format!("/surveys/{id}"));
    expect_empty(&signed_in(auth, call).await?)
}

/// `POST /surveys/{id}/status`
pub async fn set_survey_status(
    auth: Auth,
    id: Uuid,
    status: SurveyStatus,
) -> Result<SurveyDto, ApiError> {
    let call = Call::post(
        &format!("/surveys/{id}/status"),
        &SurveyStatusRequest { status },
    )?;
    decode(&signed_in(auth, call).await?)
}

/// `POST /surveys/{id}/duplicate`: a new draft with the same questions.
pub async fn duplicate_survey(auth: Auth, id: Uuid) -> Result<SurveyDto, ApiError> {
    let call = Call::new("POST", &format!("/surveys/{id}/duplicate"));
    decode(&signed_in(auth, call).await?)
}

// Surveys: codes, entry, results

/// `POST /surveys/{id}/codes`: new access codes for letters to one quarter. The
/// answer is the only place they are ever shown.
pub async fn generate_codes(
    auth: Auth,
    survey: Uuid,
    request: &GenerateCodesRequest,
) -> Result<GeneratedCodesDto, ApiError> {
    let call = Call::post(&format!("/surveys/{survey}/codes"), request)?;
    decode(&signed_in(auth, call).await?)
}

/// `GET /surveys/{id}/codes`: generated and redeemed codes per quarter.
pub async fn code_counts(auth: Auth, survey: Uuid) -> Result<Vec<CodeCountsDto>, ApiError> {
    decode(&signed_in(auth, Call::get(&format!("/surveys/{survey}/codes"))).await?)
}

/// `POST /surveys/{id}/responses`: a paper or telephone response typed in by staff.
/// A retry with the same key is stored once.
pub async fn enter_response(
    auth: Auth,
    survey: Uuid,
    request: &EnteredResponseRequest,
) -> Result<SubmittedDto, ApiError> {
    let call = Call::post(&format!("/surveys/{survey}/responses"), request)?;
    decode(&signed_in(auth, call).await?)
}

/// `GET /surveys/{id}/results` for the groups `filter` selects.
pub async fn survey_results(
    auth: Auth,
    survey: Uuid,
    filter: ResultsFilter,
) -> Result<SurveyResultsDto, ApiError> {
    decode(&signed_in(auth, Call::get(&results_path(survey, filter))).await?)
}

fn results_path(survey: Uuid, filter: ResultsFilter) -> String {
    let params: Vec<String> = [
        filter.quarter_id.map(|q| format!("quarter_id={q}")),
        filter.age_band.map(|b| format!("age_band={}", b.as_str())),
        filter.channel.map(|c| format!("channel={}", c.as_str())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if params.is_empty() {
        format!("/surveys/{survey}/results")
    } else {
        format!("/surveys/{survey}/results?{}", params.join("&"))
    }
}

// ---- Neighbourly help ----

/// `GET /me/offer`: the signed-in volunteer's offer (404 before the first save).
pub async fn my_offer(auth: Auth) -> Result<VolunteerOfferDto, ApiError> {
    decode(&signed_in(auth, Call::get("/me/offer")).await?)
}

/// `PUT /me/offer`
pub async fn save_offer(
    auth: Auth,
    request: &VolunteerOfferRequest,
) -> Result<VolunteerOfferDto, ApiError> {
    let call = Call::with_body("PUT", "/me/offer", request)?;
    decode(&signed_in(auth, call).await?)
}

/// `GET /manager/volunteers`: offers in the caller's quarters, unverified first.
pub async fn volunteers(auth: Auth) -> Result<Vec<VolunteerOfferDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/manager/volunteers")).await?)
}

/// `PUT /manager/volunteers/{id}/verification`
pub async fn verify_volunteer(
    auth: Auth,
    volunteer: Uuid,
    request: &VerifyVolunteerRequest,
) -> Result<VolunteerOfferDto, ApiError> {
    let path = format!("/manager/volunteers/{volunteer}/verification");
    decode(&signed_in(auth, Call::with_body("PUT", &path, request)?).await?)
}

/// `POST /help/requests`: the signed-in resident asks for help.
pub async fn ask_for_help(
    auth: Auth,
    request: &HelpRequestRequest,
) -> Result<HelpRequestDto, ApiError> {
    decode(&signed_in(auth, Call::post("/help/requests", request)?).await?)
}

/// `GET /me/help-requests`
pub async fn my_help_requests(auth: Auth) -> Result<Vec<HelpRequestDto>, ApiError> {
    decode(&signed_in(auth, Call::get("/me/help-requests")).await?)
}

/// `POST /manager/help-requests`: a request taken on the telephone.
pub async fn phoned_help_request(
    auth: Auth,
    request: &PhonedHelpRequest,
) -> Result<HelpRequestDto, ApiError> {
    decode(&signed_in(auth, Call::post("/manager/help-requests", request)?).await?)
}

/// `GET /manager/help-requests`: the requests of the caller's quarters, open first.
pub async fn help_board(
    auth: Auth,
    quarter: Option<Uuid>,
) -> Result<Vec<HelpRequestDto>, ApiError> {
    let path = match quarter {
        Some(q) => format!("/manager/help-requests?quarter_id={q}"),
        None => "/manager/help-requests".to_owned(),
    };
    decode(&signed_in(auth, Call::get(&path)).await?)
}

/// `GET /manager/help-requests/{id}/suggestions`
pub async fn help_suggestions(auth: Auth, request: Uuid) -> Result<Vec<SuggestionDto>, ApiError> {
    let path = format!("/manager/help-requests/{request}/suggestions");
    decode(&signed_in(auth, Call::get(&path)).await?)
}

/// `POST /help/requests/{id}/actions`: one step of a request's workflow.
pub async fn help_action(
    auth: Auth,
    request: Uuid,
    action: &HelpAction,
) -> Result<HelpRequestDto, ApiError> {
    let call = Call::post(&format!("/help/requests/{request}/actions"), action)?;
    decode(&signed_in(auth, call).await?)
}

/// `GET /me/volunteer-board`
pub async fn volunteer_board(auth: Auth) -> Result<VolunteerBoardDto, ApiError> {
    decode(&signed_in(auth, Call::get("/me/volunteer-board")).await?)
}

/// `GET /help/requests/{id}/appointment.ics`: the agreed appointment for a calendar.
pub async fn appointment(auth: Auth, request: Uuid) -> Result<String, ApiError> {
    let path = format!("/help/requests/{request}/appointment.ics");
    let answer = signed_in(auth, Call::get(&path)).await?;
    success(answer)
}

/// `GET /me/notifications`: the newest notifications and the unread count.
pub async fn notifications(auth: Auth) -> Result<NotificationsDto, ApiError> {
    decode(&signed_in(auth, Call::get("/me/notifications")).await?)
}

/// `POST /me/notifications/read`
pub async fn read_notifications(auth: Auth, ids: Vec<Uuid>) -> Result<(), ApiError> {
    let call = Call::post("/me/notifications/read", &ReadNotificationsRequest { ids })?;
    expect_empty(&signed_in(auth, call).await?)
}

/// `GET /manager/help-requests/batch`: who should take which open request.
pub async fn batch_proposal(auth: Auth) -> Result<BatchProposalDto, ApiError> {
    decode(&signed_in(auth, Call::get("/manager/help-requests/batch")).await?)
}

/// `POST /manager/help-requests/batch`: proposes the pairs.
pub async fn apply_batch(auth: Auth, pairs: Vec<ProposalPair>) -> Result<ApplyBatchDto, ApiError> {
    let call = Call::post("/manager/help-requests/batch", &ApplyBatchRequest { pairs })?;
    decode(&signed_in(auth, call).await?)
}

/// One request to send.
#[derive(Debug, Clone)]
struct Call {
    method: &'static str,
    path: String,
    body: Option<String>,
    bearer: Option<String>,
    csrf: bool,
}

impl Call {
    fn new(method: &'static str, path: &str) -> Call {
        Call {
            method,
            path: path.to_owned(),
            body: None,
            bearer: None,
            csrf: false,
        }
    }

    fn get(path: &str) -> Call {
        Call::new("GET", path)
    }

    fn post<B: Serialize>(path: &str, body: &B) -> Result<Call, ApiError> {
        Call::with_body("POST", path, body)
    }

    fn with_body<B: Serialize>(
        method: &'static str,
        path: &str,
        body: &B,
    ) -> Result<Call, ApiError> {
        let json =
            serde_json::to_string(body).map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
        let mut call = Call::new(method, path);
        call.body = Some(json);
        Ok(call)
    }
}

/// What came back.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    body: String,
    retry_after: Option<u64>,
}

/// Sends `call` with the access token; on a 401, gets a fresh token (or the one
/// another call just got) and tries once more.
async fn signed_in(auth: Auth, mut call: Call) -> Result<Answer, ApiError> {
    let sent = auth.access_token();
    call.bearer = sent.clone();
    let answer = send(call.clone()).await?;
    if answer.status != 401 {
        return Ok(answer);
    }
    let current = auth.access_token();
    call.bearer = if current.is_some() && current != sent {
        current
    } else {
        Some(refresh_session(auth).await?.access_token)
    };
    send(call).await
}

/// The body of a successful answer, to read as the caller chooses; an error body as
/// the server's problem.
fn success(answer: Answer) -> Result<String, ApiError> {
    if (200..300).contains(&answer.status) {
        Ok(answer.body)
    } else {
        Err(error_from(&answer))
    }
}

/// Reads a success body as `T`, an error body as the server's problem.
fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    if (200..300).contains(&answer.status) {
        serde_json::from_str(&answer.body).map_err(|_| ApiError::UnexpectedResponse {
            status: answer.status,
        })
    } else {
        Err(error_from(answer))
    }
}

/// A success without a body (204).
fn expect_empty(answer: &Answer) -> Result<(), ApiError> {
    if (200..300).contains(&answer.status) {
        Ok(())
    } else {
        Err(error_from(answer))
    }
}

fn error_from(answer: &Answer) -> ApiError {
    if answer.status == 429 {
        return ApiError::RateLimited {
            retry_after: answer.retry_after,
        };
    }
    match serde_json::from_str::<Problem>(&answer.body) {
        Ok(problem) => ApiError::Problem(problem),
        Err(_) => ApiError::UnexpectedResponse {
            status: answer.status,
        },
    }
}

async fn send(call: Call) -> Result<Answer, ApiError> {
    fetch(&call).await.map_err(|_| ApiError::Network)
}

async fn fetch(call: &Call) -> Result<Answer, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = web_sys::Headers::new()?;
    headers.append("Accept", "application/json, application/problem+json")?;
    if call.body.is_some() {
        headers.append("Content-Type", "application/json")?;
    }
    if let Some(token) = &call.bearer {
        headers.append("Authorization", &format!("Bearer {token}"))?;
    }
    if call.csrf {
        headers.append(CSRF_HEADER, "1")?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(call.method);
    init.set_headers(&headers);
    // The refresh cookie is HttpOnly and same-site; it must travel, but never elsewhere.
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if let Some(body) = &call.body {
        init.set_body(&JsValue::from_str(body));
    }
    let url = format!("{API_PREFIX}{}", call.path);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await?
        .dyn_into()?;
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok());
    let text = JsFuture::from(response.text()?).await?;
    Ok(Answer {
        status: response.status(),
        body: text.as_string().unwrap_or_default(),
        retry_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROBLEM: &str = r#"{"type":"/api/v1/problems/unavailable","title":"Unavailable",
        "status":503,"code":"unavailable"}"#;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: body.to_owned(),
            retry_after: None,
        }
    }

    #[test]
    fn success_bodies_decode_to_the_dto() {
        let body = r#"{"status":"ok","version":"0.1.0","database":"sqlite",
            "migration":"m1_init","migrations_applied":1,"migrations_known":1}"#;
        let health = decode::<HealthDto>(&answer(200, body)).map(|h| h.version);
        assert_eq!(health, Ok("0.1.0".to_owned()));
    }

    #[test]
    fn error_statuses_carry_the_servers_problem() {
        let Err(err) = decode::<HealthDto>(&answer(503, PROBLEM)) else {
            panic!("an error status must not decode as success");
        };
        let ApiError::Problem(problem) = &err else {
            panic!("expected a problem, got {err:?}");
        };
        assert_eq!(problem.code, ErrorCode::Unavailable);
        assert_eq!(
            err.message(&crate::i18n::DE),
            crate::i18n::DE.errors.unavailable
        );
    }

    #[test]
    fn unreadable_answers_are_unexpected_responses() {
        assert_eq!(
            decode::<HealthDto>(&answer(502, "<html>Bad gateway</html>")),
            Err(ApiError::UnexpectedResponse { status: 502 })
        );
        assert_eq!(
            decode::<HealthDto>(&answer(200, "{}")),
            Err(ApiError::UnexpectedResponse { status: 200 })
        );
    }

    #[test]
    fn validation_problems_list_their_fields() {
        let body = r#"{"type":"/api/v1/problems/validation_failed","title":"Invalid",
            "status":400,"code":"validation_failed",
            "errors":[{"field":"password","code":"too_short"}]}"#;
        let err = expect_empty(&answer(400, body)).err();
        let fields = err.as_ref().map(|e| e.field_errors().to_vec());
        assert_eq!(
            fields,
            Some(vec![FieldError {
                field: "password".into(),
                code: "too_short".into()
            }])
        );
    }

    #[test]
    fn too_many_attempts_say_how_long_to_wait() {
        let mut limited = answer(429, PROBLEM);
        limited.retry_after = Some(42);
        let err = error_from(&limited);
        assert_eq!(
            err,
            ApiError::RateLimited {
                retry_after: Some(42)
            }
        );
        assert!(err.message(&crate::i18n::EN).contains("42"));
        assert!(err.message(&crate::i18n::DE).contains("42"));
    }

    #[test]
    fn results_filters_go_into_the_query() {
        use shared::{AgeBand, surveys::Channel};
        let survey = Uuid::from_u128(1);
        let all = results_path(survey, ResultsFilter::default());
        assert_eq!(all, format!("/surveys/{survey}/results"));
        let filter = ResultsFilter {
            quarter_id: None,
            age_band: Some(AgeBand::From75To84),
            channel: Some(Channel::Paper),
        };
        assert_eq!(
            results_path(survey, filter),
            format!("/surveys/{survey}/results?age_band=from_75_to_84&channel=paper")
        );
    }

    #[test]
    fn update_profile_sends_null_to_clear_and_leaves_out_what_stays() {
        let request = UpdateProfileRequest {
            display_name: Some("Erna".into()),
            home_quarter_id: Some(None),
            ..Default::default()
        };
        let call = Call::with_body("PATCH", "/me", &request).ok();
        let body = call.and_then(|c| c.body).unwrap_or_default();
        assert_eq!(body, r#"{"display_name":"Erna","home_quarter_id":null}"#);
    }
}
