//! Neighbourly help: offers, verification, requests, suggestions and the workflow.

use reqwest::Method;
use serde_json::{Value, json};
use shared::help::{
    HelpRequestDto, HelpStatus, SuggestionDto, SuggestionReason, VolunteerBoardDto,
    VolunteerOfferDto,
};

use crate::fixtures::world;
use crate::helpers::{TestApp, problem, spawn_app};

pub(crate) fn offer(quarters: &[uuid::Uuid]) -> Value {
    json!({
        "categories": ["shopping", "visit"],
        "availability": [{"weekday": "tuesday", "from_minute": 600, "to_minute": 720}],
        "quarter_ids": quarters,
        "max_tasks_per_week": 2,
        "about": "Ich gehe gern für andere einkaufen."
    })
}

pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = app.authed(method, path, token);
    let request = match body {
        Some(b) => request.json(&b),
        None => request,
    };
    request.send().await.unwrap()
}

async fn staff_list(app: &TestApp, token: &str) -> Vec<VolunteerOfferDto> {
    let response = call(app, Method::GET, "/api/v1/manager/volunteers", token, None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_volunteer_keeps_an_offer_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let v = &w.tokens.volunteer;
    let none = call(&app, Method::GET, "/api/v1/me/offer", v, None).await;
    assert_eq!(none.status(), 404);

    let saved = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        v,
        Some(offer(&[w.q1])),
    )
    .await;
    assert_eq!(saved.status(), 200);
    let saved: VolunteerOfferDto = saved.json().await.unwrap();
    assert_eq!(saved.quarter_ids, vec![w.q1]);
    assert_eq!(saved.max_tasks_per_week, 2);
    assert!(saved.verification.is_none(), "a new offer is unverified");

    // Every bad field is named, and nothing is stored.
    let mut bad = offer(&[w.q1, w.q1]);
    bad["categories"] = json!([]);
    bad["availability"][0]["to_minute"] = json!(500);
    bad["max_tasks_per_week"] = json!(0);
    let refused = call(&app, Method::PUT, "/api/v1/me/offer", v, Some(bad)).await;
    assert_eq!(refused.status(), 400);
    let fields: Vec<String> = problem(refused)
        .await
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect();
    for field in [
        "categories",
        "availability[0]",
        "quarter_ids",
        "max_tasks_per_week",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let unknown = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        v,
        Some(offer(&[uuid::Uuid::new_v4()])),
    )
    .await;
    assert_eq!(unknown.status(), 400);
    assert_eq!(problem(unknown).await.errors[0].code, "unknown_quarter");
    let kept: VolunteerOfferDto = call(&app, Method::GET, "/api/v1/me/offer", v, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept, saved);

    // Residents who did not offer help, and strangers, cannot keep an offer.
    let resident = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        &w.tokens.resident,
        Some(offer(&[w.q1])),
    )
    .await;
    assert_eq!(resident.status(), 403);
    let anonymous = app
        .client
        .put(format!("{}/api/v1/me/offer", app.address))
        .json(&offer(&[w.q1]))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn managers_see_and_verify_only_volunteers_of_their_quarters() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let v = &w.tokens.volunteer;
    let saved: VolunteerOfferDto = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        v,
        Some(offer(&[w.q1])),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!("/api/v1/manager/volunteers/{}/verification", saved.user_id);

    // q1's manager and org A's admin see the volunteer; org B's admin does not.
    assert_eq!(
        staff_list(&app, &w.tokens.manager).await,
        vec![saved.clone()]
    );
    assert_eq!(staff_list(&app, &w.tokens.admin).await.len(), 1);
    assert!(staff_list(&app, &w.tokens.admin_b).await.is_empty());
    let foreign = call(&app, Method::PUT, &path, &w.tokens.admin_b, Some(json!({}))).await;
    assert_eq!(
        foreign.status(),
        404,
        "outside one's quarters a volunteer is not there"
    );
    for token in [&w.tokens.resident, &w.tokens.volunteer] {
        let refused = call(&app, Method::PUT, &path, token, Some(json!({}))).await;
        assert_eq!(refused.status(), 403);
    }

    // A certificate day in the future is refused; a real one is kept.
    let future = call(
        &app,
        Method::PUT,
        &path,
        &w.tokens.manager,
        Some(json!({"certificate_seen_on": "2999-01-01"})),
    )
    .await;
    assert_eq!(future.status(), 400);
    let verified = call(
        &app,
        Method::PUT,
        &path,
        &w.tokens.manager,
        Some(json!({"certificate_seen_on": "2026-11-02"})),
    )
    .await;
    assert_eq!(verified.status(), 200);
    let verified: VolunteerOfferDto = verified.json().await.unwrap();
    let check = verified.verification.clone().expect("verified");
    assert_eq!(check.certificate_seen_on.as_deref(), Some("2026-11-02"));
    // The volunteer sees it, and editing the offer keeps it.
    let edited: VolunteerOfferDto = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        v,
        Some(offer(&[w.q1, w.q2])),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(edited.verification, Some(check));

    // Serving only q2, the volunteer leaves q1's manager's scope, not org A's admin's.
    call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        v,
        Some(offer(&[w.q2])),
    )
    .await;
    assert!(staff_list(&app, &w.tokens.manager).await.is_empty());
    let gone = call(&app, Method::DELETE, &path, &w.tokens.manager, None).await;
    assert_eq!(gone.status(), 404);
    let withdrawn = call(&app, Method::DELETE, &path, &w.tokens.admin, None).await;
    assert_eq!(withdrawn.status(), 200);
    let withdrawn: VolunteerOfferDto = withdrawn.json().await.unwrap();
    assert!(withdrawn.verification.is_none());
}

/// A day a week ahead, as `YYYY-MM-DD`, and its weekday as the API writes it.
pub(crate) fn next_week() -> (String, String) {
    let day = time::OffsetDateTime::now_utc().date() + time::Duration::days(7);
    (day.to_string(), day.weekday().to_string().to_lowercase())
}

pub(crate) fn request(id: uuid::Uuid, date: &str) -> Value {
    json!({
        "id": id,
        "category": "shopping",
        "details": "Wocheneinkauf, zwei Taschen",
        "when": {"kind": "at", "date": date, "from_minute": 600, "to_minute": 660},
        "urgency": "normal",
        "accessibility": "Treppe ohne Aufzug"
    })
}

#[tokio::test]
async fn a_resident_asks_for_help_once_and_only_their_quarter_sees_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let id = uuid::Uuid::new_v4();
    let r = &w.tokens.resident;
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        r,
        Some(request(id, &date)),
    )
    .await;
    assert_eq!(asked.status(), 200);
    let asked: HelpRequestDto = asked.json().await.unwrap();
    assert_eq!(asked.quarter_id, w.q1, "the home quarter by default");
    assert_eq!(asked.status, HelpStatus::Open);
    // Sent again (a retry), it is stored once; another person's use of the id is refused.
    let again: HelpRequestDto = call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        r,
        Some(request(id, &date)),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(again, asked);
    let stolen = call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        &w.tokens.volunteer,
        Some(request(id, &date)),
    )
    .await;
    assert_eq!(stolen.status(), 409);

    // Bad input names the fields and stores nothing.
    let mut bad = request(uuid::Uuid::new_v4(), "2020-01-01");
    bad["details"] = json!("  ");
    bad["when"]["to_minute"] = json!(500);
    let refused = call(&app, Method::POST, "/api/v1/help/requests", r, Some(bad)).await;
    assert_eq!(refused.status(), 400);
    let fields: Vec<String> = problem(refused)
        .await
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect();
    for field in ["details", "when.date", "when"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let mine: Vec<HelpRequestDto> = call(&app, Method::GET, "/api/v1/me/help-requests", r, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, vec![asked.clone()]);

    // q1's manager sees it on the board; org B's admin does not, nor a foreign quarter.
    let board: Vec<HelpRequestDto> = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests",
        &w.tokens.manager,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(board.iter().map(|b| b.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(board[0].for_name, asked.for_name);
    let other: Vec<HelpRequestDto> = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests",
        &w.tokens.admin_b,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(other.is_empty());
    let foreign = call(
        &app,
        Method::GET,
        &format!("/api/v1/manager/help-requests?quarter_id={}", w.q3),
        &w.tokens.manager,
        None,
    )
    .await;
    assert_eq!(foreign.status(), 404);
    let not_staff = call(&app, Method::GET, "/api/v1/manager/help-requests", r, None).await;
    assert_eq!(not_staff.status(), 403);
}

#[tokio::test]
async fn a_phoned_request_keeps_the_caller_for_managers_and_gets_suggestions_with_reasons() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, weekday) = next_week();
    let m = &w.tokens.manager;

    // Taken on the phone for someone without an account; only in the manager's quarters.
    let mut body = json!({"request": request(uuid::Uuid::new_v4(), &date), "caller": {"name": "Erna Schulz", "phone": "0351 123456"}});
    body["request"]["quarter_id"] = json!(w.q2);
    let outside = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests",
        m,
        Some(body.clone()),
    )
    .await;
    assert_eq!(outside.status(), 400);
    body["request"]["quarter_id"] = json!(w.q1);
    let taken = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests",
        m,
        Some(body),
    )
    .await;
    assert_eq!(taken.status(), 200);
    let taken: HelpRequestDto = taken.json().await.unwrap();
    assert_eq!(taken.for_name, "Erna Schulz");
    assert_eq!(
        taken.caller.as_ref().map(|c| c.phone.as_str()),
        Some("0351 123456")
    );

    // A volunteer free that weekday in q1 is suggested once verified, with the reasons.
    let suggestions_path = format!("/api/v1/manager/help-requests/{}/suggestions", taken.id);
    let mut offer_body = offer(&[w.q1]);
    offer_body["availability"] =
        json!([{"weekday": weekday, "from_minute": 540, "to_minute": 720}]);
    let volunteer: VolunteerOfferDto = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        &w.tokens.volunteer,
        Some(offer_body),
    )
    .await
    .json()
    .await
    .unwrap();
    let before: Vec<SuggestionDto> = call(&app, Method::GET, &suggestions_path, m, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        before.is_empty(),
        "an unverified volunteer is never suggested"
    );
    let verify = format!(
        "/api/v1/manager/volunteers/{}/verification",
        volunteer.user_id
    );
    assert_eq!(
        call(&app, Method::PUT, &verify, m, Some(json!({})))
            .await
            .status(),
        200
    );
    let after: Vec<SuggestionDto> = call(&app, Method::GET, &suggestions_path, m, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].volunteer_id, volunteer.user_id);
    assert!(
        after[0].reasons.contains(&SuggestionReason::SameQuarter),
        "{:?}",
        after[0].reasons
    );
    assert!(
        after[0].reasons.iter().any(|r| matches!(r, SuggestionReason::AvailableAt { date: d, from_minute: 600, .. } if *d == date)),
        "{:?}",
        after[0].reasons
    );
    // Outside the manager's quarters the request is not there.
    let foreign = call(
        &app,
        Method::GET,
        &suggestions_path,
        &w.tokens.admin_b,
        None,
    )
    .await;
    assert_eq!(foreign.status(), 404);
}

/// A second verified volunteer of q1, with a token.
pub(crate) async fn second_volunteer(app: &TestApp, w: &crate::fixtures::World) -> String {
    let id = crate::fixtures::person(
        app,
        "v2@example.de",
        Some(w.q1),
        &[(shared::Role::Volunteer, None, None)],
    )
    .await;
    let token = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123")
        .issue(id)
        .unwrap();
    let (_, weekday) = next_week();
    let mut body = offer(&[w.q1]);
    body["availability"] = json!([{"weekday": weekday, "from_minute": 540, "to_minute": 720}]);
    assert_eq!(
        call(app, Method::PUT, "/api/v1/me/offer", &token, Some(body))
            .await
            .status(),
        200
    );
    let verify = format!("/api/v1/manager/volunteers/{id}/verification");
    assert_eq!(
        call(
            app,
            Method::PUT,
            &verify,
            &w.tokens.manager,
            Some(json!({}))
        )
        .await
        .status(),
        200
    );
    token
}

pub(crate) async fn step(
    app: &TestApp,
    id: uuid::Uuid,
    token: &str,
    action: Value,
) -> reqwest::Response {
    call(
        app,
        Method::POST,
        &format!("/api/v1/help/requests/{id}/actions"),
        token,
        Some(action),
    )
    .await
}

#[tokio::test]
async fn a_request_goes_from_asked_to_done_and_contacts_show_only_once_both_agreed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let v1 = &w.tokens.volunteer;
    let v2 = second_volunteer(&app, &w).await;
    // v1 offers too, but is not verified yet.
    let mut body = offer(&[w.q1]);
    body["availability"] = json!([]);
    call(&app, Method::PUT, "/api/v1/me/offer", v1, Some(body)).await;
    let id = uuid::Uuid::new_v4();
    let r = &w.tokens.resident;
    call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        r,
        Some(request(id, &date)),
    )
    .await;

    // An unverified volunteer sees counts only, and cannot take it.
    let board: VolunteerBoardDto = call(&app, Method::GET, "/api/v1/me/volunteer-board", v1, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(!board.verified && board.open.is_empty());
    assert_eq!(board.open_per_category[0].count, 1);
    assert_eq!(
        step(&app, id, v1, json!({"action": "accept"}))
            .await
            .status(),
        404
    );
    // A verified one sees the details, without name or contact.
    let board: VolunteerBoardDto = call(&app, Method::GET, "/api/v1/me/volunteer-board", &v2, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(board.open.len(), 1);
    assert_eq!(board.open[0].details, "Wocheneinkauf, zwei Taschen");
    assert!(board.open[0].for_name.is_empty() && board.open[0].contact.is_none());
    // With the matcher's reasons: when it fits the volunteer's week.
    assert!(
        board.open[0]
            .reasons
            .iter()
            .any(|r| matches!(r, SuggestionReason::AvailableAt { date: d, .. } if *d == date)),
        "{:?}",
        board.open[0].reasons
    );

    // Steps out of order are refused and change nothing.
    assert_eq!(
        step(&app, id, r, json!({"action": "confirm"}))
            .await
            .status(),
        409
    );
    assert_eq!(
        step(&app, id, &v2, json!({"action": "done"}))
            .await
            .status(),
        403
    );
    assert_eq!(
        step(&app, id, &w.tokens.resident, json!({"action": "accept"}))
            .await
            .status(),
        403,
        "a resident cannot accept their own request"
    );

    let accepted = step(&app, id, &v2, json!({"action": "accept"})).await;
    assert_eq!(accepted.status(), 200);
    let accepted: HelpRequestDto = accepted.json().await.unwrap();
    assert_eq!(accepted.status, HelpStatus::Accepted);
    assert!(
        accepted.contact.is_none(),
        "no contact before the resident agrees"
    );
    let seen: Vec<HelpRequestDto> = call(&app, Method::GET, "/api/v1/me/help-requests", r, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen[0].volunteer.as_ref().map(|v| v.display_name.as_str()),
        Some("v2")
    );
    assert!(seen[0].contact.is_none());
    let board: Vec<HelpRequestDto> = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests",
        &w.tokens.manager,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        board[0].contact.is_none(),
        "managers never get the contact pair"
    );

    let confirmed: HelpRequestDto = step(&app, id, r, json!({"action": "confirm"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed.status, HelpStatus::Confirmed);
    assert_eq!(
        confirmed.contact.as_ref().map(|c| c.name.as_str()),
        Some("v2")
    );
    let task: VolunteerBoardDto = call(&app, Method::GET, "/api/v1/me/volunteer-board", &v2, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        task.tasks[0].contact.as_ref().map(|c| c.name.as_str()),
        Some("r1")
    );
    let done: HelpRequestDto = step(&app, id, &v2, json!({"action": "done"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done.status, HelpStatus::Done);
    assert!(done.contact.is_some(), "kept for 30 days after done");
    assert_eq!(
        step(&app, id, r, json!({"action": "cancel"}))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn of_two_volunteers_accepting_at_once_one_wins() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, weekday) = next_week();
    let mut body = offer(&[w.q1]);
    body["availability"] = json!([{"weekday": weekday, "from_minute": 540, "to_minute": 720}]);
    let v1: VolunteerOfferDto = call(
        &app,
        Method::PUT,
        "/api/v1/me/offer",
        &w.tokens.volunteer,
        Some(body),
    )
    .await
    .json()
    .await
    .unwrap();
    let verify = format!("/api/v1/manager/volunteers/{}/verification", v1.user_id);
    call(
        &app,
        Method::PUT,
        &verify,
        &w.tokens.manager,
        Some(json!({})),
    )
    .await;
    let v2 = second_volunteer(&app, &w).await;
    for round in 0..5 {
        let id = uuid::Uuid::new_v4();
        call(
            &app,
            Method::POST,
            "/api/v1/help/requests",
            &w.tokens.resident,
            Some(request(id, &date)),
        )
        .await;
        let (a, b) = tokio::join!(
            step(&app, id, &w.tokens.volunteer, json!({"action": "accept"})),
            step(&app, id, &v2, json!({"action": "accept"}))
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
    }
    // A manager proposes; only the proposed volunteer may accept or decline it.
    let id = uuid::Uuid::new_v4();
    call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        &w.tokens.resident,
        Some(request(id, &date)),
    )
    .await;
    let proposed = step(
        &app,
        id,
        &w.tokens.manager,
        json!({"action": "propose", "volunteer_id": v1.user_id}),
    )
    .await;
    assert_eq!(proposed.status(), 200);
    assert_eq!(
        step(&app, id, &v2, json!({"action": "accept"}))
            .await
            .status(),
        409
    );
    let declined: HelpRequestDto =
        step(&app, id, &w.tokens.volunteer, json!({"action": "decline"}))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(declined.status, HelpStatus::Open);
    assert!(declined.volunteer.is_none());
}

#[tokio::test]
async fn a_volunteers_board_shows_only_requests_that_fit_their_week() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let v2 = second_volunteer(&app, &w).await;
    call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        &w.tokens.resident,
        Some(request(uuid::Uuid::new_v4(), &date)),
    )
    .await;
    let board = |token: String| {
        let app = &app;
        async move {
            let board: VolunteerBoardDto =
                call(app, Method::GET, "/api/v1/me/volunteer-board", &token, None)
                    .await
                    .json()
                    .await
                    .unwrap();
            board
        }
    };
    assert_eq!(board(v2.clone()).await.open.len(), 1);
    // Free only on the day after: the request's hour no longer fits.
    let day_after = (time::OffsetDateTime::now_utc().date() + time::Duration::days(8))
        .weekday()
        .to_string()
        .to_lowercase();
    let mut body = offer(&[w.q1]);
    body["availability"] = json!([{"weekday": day_after, "from_minute": 540, "to_minute": 720}]);
    let saved = call(&app, Method::PUT, "/api/v1/me/offer", &v2, Some(body)).await;
    assert_eq!(saved.status(), 200);
    let later = board(v2.clone()).await;
    assert!(later.open.is_empty(), "{:?}", later.open);
    // The count per category still says there is work in the quarter.
    assert_eq!(later.open_per_category[0].count, 1);
}
