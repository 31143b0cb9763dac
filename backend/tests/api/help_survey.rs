//! From a survey to help: a need said in an identified survey opens a request that names
//! the survey, for the person who said it only; an anonymous survey never leads to one.

use quartier::entities::help_request;
use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use shared::help::HelpRequestDto;
use shared::surveys::{Answer, SurveyDto};
use uuid::Uuid;

use crate::fixtures::{World, world};
use crate::help::{call, next_week, request};
use crate::helpers::{TestApp, problem, spawn_app};
use crate::surveys::{answers, identified_survey, open_survey, submission};

/// The resident answers: support wanted with shopping and company (both marked needs in
/// the template: shopping and visit).
async fn answer_needing_shopping(app: &TestApp, w: &World, survey: &SurveyDto) {
    let mut a = answers(true, 4);
    a.insert(
        "help_needs".into(),
        Answer::Choices {
            options: vec!["shopping".into(), "company".into()],
            other_text: None,
        },
    );
    let sent = app
        .authed(
            Method::POST,
            &format!("/api/v1/public/surveys/{}/responses", survey.id),
            &w.tokens.resident,
        )
        .json(&submission(survey, a))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
}

fn from_survey(survey: Uuid, category: &str, date: &str) -> Value {
    let mut body = request(Uuid::new_v4(), date);
    body["from_survey"] = json!(survey);
    body["category"] = json!(category);
    body
}

async fn refused_code(app: &TestApp, token: &str, body: Value) -> (String, String) {
    let refused = call(
        app,
        Method::POST,
        "/api/v1/help/requests",
        token,
        Some(body),
    )
    .await;
    assert_eq!(refused.status(), 400);
    let p = problem(refused).await;
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    (p.errors[0].field.clone(), p.errors[0].code.clone())
}

async fn stored_requests(app: &TestApp) -> u64 {
    help_request::Entity::find()
        .count(app.db.conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_need_said_in_a_survey_opens_a_request_for_the_one_who_said_it_only() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let survey = identified_survey(&app, &w).await;
    answer_needing_shopping(&app, &w, &survey).await;
    let anonymous = open_survey(&app, &w, true).await;
    let mut a = answers(true, 4);
    a.insert(
        "help_needs".into(),
        Answer::Choices {
            options: vec!["shopping".into()],
            other_text: None,
        },
    );
    let sent = app
        .post_json(
            &format!("/api/v1/public/surveys/{}/responses", anonymous.id),
            &submission(&anonymous, a),
        )
        .await;
    assert_eq!(sent.status(), 201);

    let r = &w.tokens.resident;
    let from_survey_field = || "from_survey".to_owned();
    // An anonymous survey is never named, whatever was answered in it.
    assert_eq!(
        refused_code(&app, r, from_survey(anonymous.id, "shopping", &date)).await,
        (from_survey_field(), "anonymous_survey".to_owned())
    );
    // A need the resident did not say, a survey that does not exist, a person who did
    // not answer: refused, each with its reason.
    assert_eq!(
        refused_code(&app, r, from_survey(survey.id, "paperwork", &date)).await,
        (from_survey_field(), "not_a_need".to_owned())
    );
    assert_eq!(
        refused_code(&app, r, from_survey(Uuid::new_v4(), "shopping", &date)).await,
        (from_survey_field(), "unknown_survey".to_owned())
    );
    assert_eq!(
        refused_code(
            &app,
            &w.tokens.volunteer,
            from_survey(survey.id, "shopping", &date)
        )
        .await,
        (from_survey_field(), "no_response".to_owned())
    );
    // A manager on the telephone cannot attach someone's survey answers.
    let mut on_the_phone = from_survey(survey.id, "shopping", &date);
    on_the_phone["quarter_id"] = json!(w.q1);
    let phoned = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests",
        &w.tokens.manager,
        Some(json!({
            "request": on_the_phone,
            "caller": {"name": "Frau Kaya", "phone": "030 1234567"}
        })),
    )
    .await;
    assert_eq!(phoned.status(), 400);
    assert_eq!(problem(phoned).await.errors[0].field, "request.from_survey");
    assert_eq!(stored_requests(&app).await, 0, "nothing stored on refusal");

    // The need the resident said: the request names the survey, for them and the managers.
    let asked = call(
        &app,
        Method::POST,
        "/api/v1/help/requests",
        r,
        Some(from_survey(survey.id, "visit", &date)),
    )
    .await;
    assert_eq!(asked.status(), 200);
    let asked: HelpRequestDto = asked.json().await.unwrap();
    assert_eq!(asked.from_survey, Some(survey.id));
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
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].from_survey, Some(survey.id));
    assert_eq!(stored_requests(&app).await, 1);
}
