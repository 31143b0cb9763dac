//! Surveys through the API: authoring and lifecycle, access codes, answering with
//! idempotent retries, anonymity of the stored rows, results with small-group
//! suppression, and who may see what. Runs on SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};

use quartier::entities::{access_code, survey_response, survey_tally};
use quartier::surveys::anonymity::mix;
use reqwest::Method;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Statement,
};
use serde_json::json;
use shared::DatabaseKind;
use shared::surveys::{
    Answer, Answers, Channel, EnteredResponseRequest, GeneratedCodesDto, MySurveyDto,
    PublicSurveyDto, RespondentProfile, SubmitResponseRequest, SubmittedDto, SurveyAccess,
    SurveyDto, SurveyRequest, SurveyResultsDto, SurveyStatus, SurveySummaryDto, template,
};
use uuid::Uuid;

use crate::fixtures::{World, world};
use crate::helpers::{TestApp, problem, spawn_app};

pub(crate) fn template_request(
    quarters: Vec<Uuid>,
    access: SurveyAccess,
    anonymous: bool,
) -> SurveyRequest {
    let t = template::age_friendly();
    SurveyRequest {
        title: t.title,
        intro: t.intro,
        quarter_ids: quarters,
        opens_at: None,
        closes_at: None,
        anonymous,
        access,
        profile_questions: true,
        definition: t.definition,
    }
}

pub(crate) fn public_and_codes() -> SurveyAccess {
    SurveyAccess {
        public_link: true,
        codes: true,
        signed_in: true,
    }
}

pub(crate) async fn create(app: &TestApp, token: &str, req: &SurveyRequest) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/surveys", token)
        .json(req)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn set_status(
    app: &TestApp,
    token: &str,
    id: Uuid,
    status: SurveyStatus,
) -> reqwest::Response {
    app.authed(Method::POST, &format!("/api/v1/surveys/{id}/status"), token)
        .json(&json!({ "status": status }))
        .send()
        .await
        .unwrap()
}

/// An open survey of q1 made by the manager of q1.
pub(crate) async fn open_survey(app: &TestApp, w: &World, anonymous: bool) -> SurveyDto {
    let response = create(
        app,
        &w.tokens.manager,
        &template_request(vec![w.q1], public_and_codes(), anonymous),
    )
    .await;
    assert_eq!(response.status(), 201);
    let survey: SurveyDto = response.json().await.unwrap();
    let opened = set_status(app, &w.tokens.manager, survey.id, SurveyStatus::Open).await;
    assert_eq!(opened.status(), 200);
    opened.json().await.unwrap()
}

/// `count` access codes for the world's first quarter, made by its manager.
pub(crate) async fn generate_codes(
    app: &TestApp,
    w: &World,
    survey: Uuid,
    count: u32,
) -> GeneratedCodesDto {
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{survey}/codes"),
            &w.tokens.manager,
        )
        .json(&json!({"quarter_id": w.q1, "count": count}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Answers to the template that pass: the required questions and a few more.
pub(crate) fn answers(lift: bool, rating: u8) -> Answers {
    let mut a = BTreeMap::new();
    a.insert("housing_lift".to_owned(), Answer::YesNo { value: lift });
    a.insert(
        "transport_used".to_owned(),
        Answer::Choices {
            options: vec!["walk".into(), "bus".into()],
            other_text: None,
        },
    );
    a.insert("housing_fit".to_owned(), Answer::Rating { value: rating });
    a.insert("shops_minutes".to_owned(), Answer::Number { value: 12.0 });
    a.insert(
        "wish".to_owned(),
        Answer::Text {
            value: "Mehr Bänke am Markt".into(),
        },
    );
    a
}

pub(crate) fn submission(survey: &SurveyDto, answers: Answers) -> SubmitResponseRequest {
    SubmitResponseRequest {
        id: Uuid::new_v4(),
        version: survey.version,
        answers,
        profile: RespondentProfile::default(),
        code: None,
    }
}

async fn submit(app: &TestApp, survey: Uuid, body: &SubmitResponseRequest) -> reqwest::Response {
    app.post_json(&format!("/api/v1/public/surveys/{survey}/responses"), body)
        .await
}

async fn results(app: &TestApp, token: &str, survey: Uuid, query: &str) -> reqwest::Response {
    app.authed(
        Method::GET,
        &format!("/api/v1/surveys/{survey}/results{query}"),
        token,
    )
    .send()
    .await
    .unwrap()
}

async fn stored_responses(app: &TestApp, survey: Uuid) -> Vec<survey_response::Model> {
    survey_response::Entity::find()
        .filter(survey_response::Column::SurveyId.eq(survey))
        .all(app.db.conn())
        .await
        .unwrap()
}

/// A response as a handler hands it to the writer: online, new key, no age band, now.
fn submitted(
    survey: Uuid,
    quarter: Option<Uuid>,
    answers: &Answers,
    ticket: quartier::surveys::ingest::Ticket,
) -> quartier::surveys::ingest::Submission {
    use quartier::surveys::counters;
    let now = time::OffsetDateTime::now_utc();
    quartier::surveys::ingest::Submission {
        id: Uuid::new_v4(),
        survey_id: survey,
        version: 1,
        channel: "online".into(),
        quarter_id: quarter,
        age_band: None,
        user_id: None,
        entered_by: None,
        answers: serde_json::to_string(answers).unwrap(),
        submitted_at: now,
        // Counted by name (no layout): the handlers' numbered counters are covered
        // by every test that submits through the API.
        increments: counters::increments(
            &std::sync::Arc::new(counters::Layout::default()),
            answers,
            now.date(),
        ),
        ticket,
        clears_draft_of: None,
    }
}

/// The tally of a survey whose responses all fall in one group.
async fn only_tally(app: &TestApp, survey: Uuid) -> quartier::surveys::counters::Tally {
    let tallies = survey_tally::Entity::find()
        .filter(survey_tally::Column::SurveyId.eq(survey))
        .all(app.db.conn())
        .await
        .unwrap();
    assert_eq!(tallies.len(), 1, "one group");
    quartier::surveys::counters::Tally::from_row(tallies[0].responses, &tallies[0].counts).unwrap()
}
#[tokio::test]
async fn a_manager_builds_opens_closes_and_archives_a_survey() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let templates: Vec<shared::surveys::SurveyTemplateDto> = app
        .authed(Method::GET, "/api/v1/survey-templates", &w.tokens.manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(templates[0].key, "age_friendly");

    let response = create(
        &app,
        &w.tokens.manager,
        &template_request(vec![w.q1], public_and_codes(), true),
    )
    .await;
    assert_eq!(response.status(), 201);
    let draft: SurveyDto = response.json().await.unwrap();
    assert_eq!(draft.status, SurveyStatus::Draft);
    assert_eq!(draft.missing_translations, 0);
    // A draft is not reachable for residents.
    assert_eq!(
        app.get(&format!("/api/v1/public/surveys/{}", draft.id))
            .await
            .status(),
        404
    );

    let open: SurveyDto = set_status(&app, &w.tokens.manager, draft.id, SurveyStatus::Open)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open.status, SurveyStatus::Open);
    let public: PublicSurveyDto = app
        .get(&format!("/api/v1/public/surveys/{}", draft.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public.title.de, "Gut älter werden im Quartier");
    assert_eq!(public.quarters.len(), 1);

    // Draft → archived is not a step; open → archived neither.
    let wrong = set_status(&app, &w.tokens.manager, draft.id, SurveyStatus::Archived).await;
    assert_eq!(wrong.status(), 409);
    // An opened survey cannot be deleted.
    let delete = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/surveys/{}", draft.id),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 409);

    assert_eq!(
        set_status(&app, &w.tokens.manager, draft.id, SurveyStatus::Closed)
            .await
            .status(),
        200
    );
    let closed = submit(&app, draft.id, &submission(&open, answers(true, 4))).await;
    assert_eq!(closed.status(), 409, "a closed survey takes no responses");
    assert_eq!(
        set_status(&app, &w.tokens.manager, draft.id, SurveyStatus::Archived)
            .await
            .status(),
        200
    );
    let edit = app
        .authed(
            Method::PUT,
            &format!("/api/v1/surveys/{}", draft.id),
            &w.tokens.manager,
        )
        .json(&template_request(vec![w.q1], public_and_codes(), true))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 409, "an archived survey cannot change");

    // Duplicate makes a new draft; a draft can be deleted.
    let copy: SurveyDto = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{}/duplicate", draft.id),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(copy.status, SurveyStatus::Draft);
    assert!(copy.title.de.ends_with("(Kopie)"));
    let delete = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/surveys/{}", copy.id),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 204);
}

#[tokio::test]
async fn a_survey_past_its_closing_time_is_closed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut req = template_request(vec![w.q1], public_and_codes(), true);
    req.closes_at = Some(time::OffsetDateTime::now_utc() + time::Duration::seconds(2));
    let survey: SurveyDto = create(&app, &w.tokens.manager, &req)
        .await
        .json()
        .await
        .unwrap();
    let open: SurveyDto = set_status(&app, &w.tokens.manager, survey.id, SurveyStatus::Open)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        submit(&app, survey.id, &submission(&open, answers(true, 3)))
            .await
            .status(),
        201
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let public: PublicSurveyDto = app
        .get(&format!("/api/v1/public/surveys/{}", survey.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public.status, SurveyStatus::Closed);
    assert_eq!(
        submit(&app, survey.id, &submission(&open, answers(true, 3)))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn bad_definitions_are_refused_with_the_field_and_store_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut req = template_request(vec![w.q1], public_and_codes(), true);
    // The lift's follow-up now points at itself: a cycle.
    if let Some(show_if) = &mut req.definition.sections[0].questions[2].show_if {
        show_if.rules[0] = shared::surveys::Rule::Equals {
            question: "housing_lift_works".into(),
            value: "yes".into(),
        };
    }
    let response = create(&app, &w.tokens.manager, &req).await;
    assert_eq!(response.status(), 400);
    let p = problem(response).await;
    assert_eq!(
        p.errors[0].field,
        "definition.sections[0].questions[2].show_if.rules[0]"
    );
    assert_eq!(p.errors[0].code, "cycle");

    let mut later = template_request(vec![w.q1], public_and_codes(), true);
    if let Some(show_if) = &mut later.definition.sections[0].questions[2].show_if {
        show_if.rules[0] = shared::surveys::Rule::Answered {
            question: "wish".into(),
        };
    }
    let p = problem(create(&app, &w.tokens.manager, &later).await).await;
    assert_eq!(p.errors[0].code, "refers_to_later_question");

    // A need fits a yes/no question or a choice's options; on a rating it is refused.
    let mut misplaced_need = template_request(vec![w.q1], public_and_codes(), true);
    misplaced_need.definition.sections[0].questions[0].need =
        Some(shared::help::HelpCategory::Repairs);
    let p = problem(create(&app, &w.tokens.manager, &misplaced_need).await).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        (
            "definition.sections[0].questions[0].need",
            "need_requires_yes_no"
        )
    );

    let mut empty_title = template_request(vec![w.q1], public_and_codes(), true);
    empty_title.title.de = "  ".into();
    let p = problem(create(&app, &w.tokens.manager, &empty_title).await).await;
    assert_eq!(p.errors[0].field, "title");

    let list: Vec<SurveySummaryDto> = app
        .authed(Method::GET, "/api/v1/surveys", &w.tokens.manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.is_empty(), "nothing was stored");
}

#[tokio::test]
async fn every_question_kind_validates_answers_on_the_server() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let cases: Vec<(&str, Answer, &str)> = vec![
        ("housing_fit", Answer::Rating { value: 9 }, "out_of_range"),
        (
            "housing_lift_works",
            Answer::YesNo { value: true },
            "not_shown",
        ),
        (
            "housing_stairs",
            Answer::Number { value: 2.5 },
            "not_integer",
        ),
        (
            "transport_used",
            Answer::Choices {
                options: vec!["rocket".into()],
                other_text: None,
            },
            "unknown_option",
        ),
        (
            "social_lonely",
            Answer::Choice {
                option: "other".into(),
                other_text: Some("x".into()),
            },
            "unknown_option",
        ),
        (
            "help_needs",
            Answer::Choices {
                options: vec![
                    "shopping".into(),
                    "tech".into(),
                    "company".into(),
                    "repairs".into(),
                ],
                other_text: None,
            },
            "too_many",
        ),
        (
            "services_reach",
            Answer::Matrix {
                rows: BTreeMap::from([("food".into(), "maybe".into())]),
            },
            "unknown_option",
        ),
        (
            "last_outing",
            Answer::Date {
                value: "2026-13-01".into(),
            },
            "invalid_date",
        ),
        (
            "wish",
            Answer::Text {
                value: "x".repeat(1001),
            },
            "too_long",
        ),
        (
            "outdoors_benches",
            Answer::Rating { value: 3 },
            "wrong_type",
        ),
    ];
    for (question, answer, code) in cases {
        let mut a = answers(false, 3);
        a.insert(question.to_owned(), answer);
        let response = submit(&app, survey.id, &submission(&survey, a)).await;
        assert_eq!(response.status(), 400, "{question}");
        let p = problem(response).await;
        assert!(
            p.errors
                .iter()
                .any(|e| e.field == format!("answers.{question}") && e.code == code),
            "{question}: expected {code}, got {:?}",
            p.errors
        );
    }
    // The required question missing.
    let mut a = answers(false, 3);
    a.remove("housing_lift");
    let p = problem(submit(&app, survey.id, &submission(&survey, a)).await).await;
    assert_eq!(p.errors[0].field, "answers.housing_lift");
    assert_eq!(p.errors[0].code, "required");
    // A time-based key would date the response: refused.
    let mut timed = submission(&survey, answers(true, 3));
    timed.id = Uuid::now_v7();
    assert_eq!(
        problem(submit(&app, survey.id, &timed).await).await.errors[0].code,
        "not_random"
    );
    assert!(stored_responses(&app, survey.id).await.is_empty());
}

#[tokio::test]
async fn concurrent_retries_of_one_response_are_stored_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let body = submission(&survey, answers(true, 4));
    let attempts = (0..24).map(|_| submit(&app, survey.id, &body));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        23,
        "{statuses:?}"
    );
    // A later retry gets the first result.
    let again: SubmittedDto = submit(&app, survey.id, &body).await.json().await.unwrap();
    assert_eq!(
        again,
        SubmittedDto {
            id: body.id,
            duplicate: true
        }
    );
    assert_eq!(stored_responses(&app, survey.id).await.len(), 1);
    let day_counts = tallied_responses(&app, survey.id).await;
    assert_eq!(day_counts, 1, "the counters count it once");
}

/// How many responses the survey's tallies count, over all groups.
async fn tallied_responses(app: &TestApp, survey: Uuid) -> i64 {
    survey_tally::Entity::find()
        .filter(survey_tally::Column::SurveyId.eq(survey))
        .all(app.db.conn())
        .await
        .unwrap()
        .iter()
        .map(|c| c.responses)
        .sum()
}

/// Many people answer at once: the writer stores them in several batches, some
/// arriving while another is being stored, and every response is in the results.
/// `n` people send a response at once (every `yes_every`-th says yes to the lift
/// question); each is stored (201).
async fn answer_at_once(app: &TestApp, survey: &SurveyDto, n: usize, yes_every: usize) {
    let bodies: Vec<SubmitResponseRequest> = (0..n)
        .map(|i| submission(survey, answers(i % yes_every == 0, 4)))
        .collect();
    let statuses: Vec<u16> =
        futures_util::future::join_all(bodies.iter().map(|b| submit(app, survey.id, b)))
            .await
            .into_iter()
            .map(|r| r.status().as_u16())
            .collect();
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
}

#[tokio::test]
async fn many_people_answering_at_once_are_all_counted() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    answer_at_once(&app, &survey, 150, 3).await;
    assert_eq!(stored_responses(&app, survey.id).await.len(), 150);
    let r: SurveyResultsDto = results(&app, &w.tokens.manager, survey.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.responses, Some(150), "the results count every response");
    let tallied = tallied_responses(&app, survey.id).await;
    assert_eq!(tallied, 150);
}

#[tokio::test]
async fn a_code_answers_once_and_an_anonymous_row_holds_nothing_that_identifies() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{}/codes", survey.id),
            &w.tokens.manager,
        )
        .json(&json!({"quarter_id": w.q1, "count": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let generated: GeneratedCodesDto = response.json().await.unwrap();
    assert_eq!(generated.codes.len(), 3);
    let code = generated.codes[0].code.clone();
    assert_eq!(code.len(), 9);
    assert!(
        code.chars()
            .all(|c| "ACDEFGHJKMNPQRTUVWXY34679-".contains(c)),
        "{code}"
    );
    assert!(
        generated.codes[0]
            .url
            .ends_with(&format!("/s/{}?code={code}", survey.id))
    );
    assert!(generated.codes[0].qr_svg.starts_with("<?xml"));
    assert_eq!(generated.csv.lines().count(), 4);
    assert!(
        generated
            .csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{code};"))
    );
    // Only hashes are stored.
    let stored_codes = access_code::Entity::find()
        .all(app.db.conn())
        .await
        .unwrap();
    assert!(
        stored_codes
            .iter()
            .all(|c| !c.code_hash.contains(&code.replace('-', "")))
    );

    // A signed-in resident answers with a code, typed sloppily.
    let mut body = submission(&survey, answers(true, 5));
    body.code = Some(code.to_lowercase().replace('-', " "));
    let first = app
        .authed(
            Method::POST,
            &format!("/api/v1/public/surveys/{}/responses", survey.id),
            &w.tokens.resident,
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    // The retry is a duplicate, not a "used code".
    let retry = submit(&app, survey.id, &body).await;
    assert_eq!(retry.status(), 200);
    // Another response with the same code is refused.
    let mut other = submission(&survey, answers(false, 2));
    other.code = Some(code.clone());
    let p = problem(submit(&app, survey.id, &other).await).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("code", "already_used")
    );
    let mut unknown = submission(&survey, answers(false, 2));
    unknown.code = Some("AAAA-AAAA".into());
    let p = problem(submit(&app, survey.id, &unknown).await).await;
    assert_eq!(p.errors[0].code, "invalid");

    let rows = stored_responses(&app, survey.id).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.user_id, None, "no account link");
    assert_eq!(row.entered_by, None);
    assert_eq!(row.quarter_id, Some(w.q1), "the code's quarter");
    assert_eq!(
        row.submitted_at.time(),
        time::Time::MIDNIGHT,
        "only the day is kept"
    );
    assert_eq!(row.channel, "online");
    let text = serde_json::to_string(row.answers.clone().as_object().unwrap()).unwrap();
    assert!(!text.contains("r1@example.de") && !text.contains(&w.resident_q1.to_string()));
    let redeemed = access_code::Entity::find()
        .filter(access_code::Column::RedeemedAt.is_not_null())
        .all(app.db.conn())
        .await
        .unwrap();
    assert_eq!(redeemed.len(), 1);
    assert_eq!(
        redeemed[0].redeemed_at.unwrap().time(),
        time::Time::MIDNIGHT
    );

    let counts: Vec<shared::surveys::CodeCountsDto> = app
        .authed(
            Method::GET,
            &format!("/api/v1/surveys/{}/codes", survey.id),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((counts[0].generated, counts[0].redeemed), (3, 1));
}

/// On PostgreSQL every row keeps the id of the transaction that wrote it (`xmin`). A
/// letter's code is redeemed in its response's batch, so the code's row and the
/// anonymous response shared it: with the office's mail-merge file, the response's
/// address. Mixing rewrites the survey's day, after which no response shares a
/// transaction with a code. (SQLite has no such column; there mixing checkpoints the
/// write-ahead log, and the rows stay as they are.)
#[tokio::test]
async fn after_mixing_no_anonymous_response_shares_a_transaction_with_its_code() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let generated = generate_codes(&app, &w, survey.id, 3).await;
    // One at a time: each its own batch, its own transaction.
    for (i, code) in generated.codes.iter().enumerate() {
        let mut body = submission(&survey, answers(i % 2 == 0, 4));
        body.code = Some(code.code.clone());
        assert_eq!(submit(&app, survey.id, &body).await.status(), 201);
    }
    if app.db.kind() == DatabaseKind::Sqlite {
        // SQLite keeps no transaction id; its order of arrival is the next test's.
        assert_eq!(mix(&app.db, None).await.unwrap(), 3);
        assert_eq!(mix(&app.db, None).await.unwrap(), 0);
        assert_eq!(stored_responses(&app, survey.id).await.len(), 3);
        return;
    }
    let transactions = |table: &'static str, only: &'static str| {
        let app = &app;
        async move {
            let sql = format!(
                "SELECT xmin::text AS x FROM {table} WHERE survey_id = '{}' {only}",
                survey.id
            );
            let rows = app
                .db
                .conn()
                .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .unwrap();
            rows.iter()
                .map(|r| r.try_get::<String>("", "x").unwrap())
                .collect::<BTreeSet<_>>()
        }
    };
    let codes = transactions("access_codes", "AND redeemed_at IS NOT NULL").await;
    let before = transactions("survey_responses", "").await;
    assert_eq!(codes.len(), 3);
    assert_eq!(
        codes, before,
        "each code's row was written in its response's transaction"
    );

    let since = Some(time::OffsetDateTime::now_utc() - time::Duration::days(2));
    assert_eq!(
        mix(&app.db, since).await.unwrap(),
        3,
        "the day is rewritten"
    );
    let after = transactions("survey_responses", "").await;
    assert_eq!(after.len(), 1, "the day's responses share one transaction");
    assert!(
        after.is_disjoint(&codes),
        "a response still shares a transaction with a code: {after:?} and {codes:?}"
    );
    // Settled: the day is one transaction now, and nothing else changed.
    assert_eq!(mix(&app.db, since).await.unwrap(), 0);
    let rows = stored_responses(&app, survey.id).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.user_id.is_none()));
}

/// The keys of a survey's responses in the order the SQLite file keeps them.
async fn keys_in_file_order(app: &TestApp, survey: Uuid) -> Vec<Uuid> {
    app.db
        .conn()
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            r#"SELECT "id" FROM "survey_responses" WHERE "survey_id" = ? ORDER BY "seq""#,
            [survey.into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<Uuid>("", "id").unwrap())
        .collect()
}

/// SQLite appends responses in the order they arrive (several times cheaper than
/// writing each at a random place); the mixing job then shuffles each anonymous
/// survey's day, so the file no longer says which response came after which — an order
/// that, beside the day a letter's code was used and the office's mail-merge file, or
/// beside when someone was seen answering, would point at a person.
#[tokio::test]
async fn on_sqlite_mixing_leaves_no_order_of_arrival_in_an_anonymous_day() {
    let app = spawn_app().await;
    if app.db.kind() != DatabaseKind::Sqlite {
        return;
    }
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    // One after another, as twelve neighbours might answer over a day.
    let mut arrived = Vec::new();
    let mut bodies = Vec::new();
    for i in 0..12u8 {
        let body = submission(&survey, answers(i % 2 == 0, 1 + i % 5));
        assert_eq!(submit(&app, survey.id, &body).await.status(), 201);
        arrived.push(body.id);
        bodies.push(body);
    }
    let first = bodies.swap_remove(0);
    assert_eq!(
        keys_in_file_order(&app, survey.id).await,
        arrived,
        "before mixing, the file holds the responses in the order they arrived"
    );
    let before = stored_responses(&app, survey.id).await;

    assert_eq!(mix(&app.db, None).await.unwrap(), 12, "the day is shuffled");
    let mixed = keys_in_file_order(&app, survey.id).await;
    // Twelve rows keep their order by chance once in 479,001,600 runs.
    assert_ne!(mixed, arrived, "the file still holds the order of arrival");
    assert_eq!(
        mixed.iter().collect::<BTreeSet<_>>(),
        arrived.iter().collect::<BTreeSet<_>>()
    );
    let mut after = stored_responses(&app, survey.id).await;
    let mut before = before;
    before.sort_by_key(|r| r.id);
    after.sort_by_key(|r| r.id);
    assert_eq!(after, before, "mixing changed a response");
    assert_eq!(
        mix(&app.db, None).await.unwrap(),
        0,
        "nothing new, nothing to do"
    );

    // One more response: the whole day is shuffled again, the newcomer among the others
    // rather than after them.
    let late = submission(&survey, answers(true, 3));
    assert_eq!(submit(&app, survey.id, &late).await.status(), 201);
    assert_eq!(
        keys_in_file_order(&app, survey.id).await.last(),
        Some(&late.id)
    );
    assert_eq!(mix(&app.db, None).await.unwrap(), 13);
    let mut remixed = keys_in_file_order(&app, survey.id).await;
    assert_eq!(remixed.len(), 13);
    remixed.retain(|k| *k != late.id);
    assert_ne!(remixed, mixed, "the day was not shuffled again");
    // A retry of a shuffled response is still recognised by its key.
    let again: SubmittedDto = submit(&app, survey.id, &first).await.json().await.unwrap();
    assert!(again.duplicate, "a retry after mixing was stored again");
    assert_eq!(stored_responses(&app, survey.id).await.len(), 13);
}

/// The age-friendly template, identified, open for signed-in residents of q1.
pub(crate) async fn identified_survey(app: &TestApp, w: &World) -> SurveyDto {
    let mut req = template_request(
        vec![w.q1],
        SurveyAccess {
            public_link: false,
            codes: false,
            signed_in: true,
        },
        false,
    );
    req.profile_questions = false;
    let survey: SurveyDto = create(app, &w.tokens.manager, &req)
        .await
        .json()
        .await
        .unwrap();
    set_status(app, &w.tokens.manager, survey.id, SurveyStatus::Open)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_identified_survey_keeps_the_account_and_a_person_answers_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = identified_survey(&app, &w).await;
    // Without signing in: 401.
    assert_eq!(
        submit(&app, survey.id, &submission(&survey, answers(true, 4)))
            .await
            .status(),
        401
    );
    let path = format!("/api/v1/public/surveys/{}/responses", survey.id);
    let first = app
        .authed(Method::POST, &path, &w.tokens.resident)
        .json(&submission(&survey, answers(true, 4)))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    let second = app
        .authed(Method::POST, &path, &w.tokens.resident)
        .json(&submission(&survey, answers(false, 1)))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 409, "one response per person");
    let rows = stored_responses(&app, survey.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].user_id, Some(w.resident_q1));
    assert_ne!(rows[0].submitted_at.time(), time::Time::MIDNIGHT);
}

#[tokio::test]
async fn edits_that_would_break_responses_are_refused_and_wording_fixes_are_versioned() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    assert_eq!(
        submit(&app, survey.id, &submission(&survey, answers(true, 4)))
            .await
            .status(),
        201
    );
    let path = format!("/api/v1/surveys/{}", survey.id);
    let put = |req: SurveyRequest| {
        app.authed(Method::PUT, &path, &w.tokens.manager)
            .json(&req)
            .send()
    };

    let mut removed = template_request(vec![w.q1], public_and_codes(), true);
    removed.definition.sections[0].questions.remove(0);
    let p = problem(put(removed).await.unwrap()).await;
    assert_eq!(p.status, 409);
    assert!(p.detail.unwrap().contains("housing_fit"));

    let mut kind = template_request(vec![w.q1], public_and_codes(), true);
    kind.definition.sections[0].questions[3].kind = shared::surveys::QuestionKind::Date;
    assert_eq!(put(kind).await.unwrap().status(), 409);

    let mut option = template_request(vec![w.q1], public_and_codes(), true);
    if let shared::surveys::QuestionKind::MultipleChoice { options, .. } =
        &mut option.definition.sections[1].questions[0].kind
    {
        options.pop();
    }
    assert_eq!(put(option).await.unwrap().status(), 409);

    let mut anonymity = template_request(vec![w.q1], public_and_codes(), false);
    anonymity.anonymous = false;
    assert_eq!(put(anonymity).await.unwrap().status(), 409);

    let mut wording = template_request(vec![w.q1], public_and_codes(), true);
    wording.definition.sections[0].questions[0].text.de = "Passt Ihre Wohnung zu Ihnen?".into();
    let response = put(wording).await.unwrap();
    assert_eq!(response.status(), 200);
    let changed: SurveyDto = response.json().await.unwrap();
    assert_eq!(changed.version, survey.version + 1);
    assert_eq!(
        changed.definition.sections[0].questions[0].text.de,
        "Passt Ihre Wohnung zu Ihnen?"
    );
    // A response to the earlier version still goes in.
    assert_eq!(
        submit(&app, survey.id, &submission(&survey, answers(false, 2)))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn results_count_by_group_and_never_show_fewer_than_five() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    for i in 0..4 {
        let mut body = submission(&survey, answers(i % 2 == 0, 4));
        body.profile.age_band = Some(shared::AgeBand::From75To84);
        assert_eq!(submit(&app, survey.id, &body).await.status(), 201);
    }
    let r: SurveyResultsDto = results(&app, &w.tokens.manager, survey.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert!(r.suppressed, "4 responses are too few to show");
    assert_eq!(r.responses, None);
    assert!(r.questions.is_empty());

    // A paper questionnaire typed in by the manager, and two more online.
    let entered = EnteredResponseRequest {
        id: Uuid::new_v4(),
        channel: Channel::Paper,
        answers: answers(true, 2),
        profile: RespondentProfile {
            quarter_id: Some(w.q1),
            age_band: Some(shared::AgeBand::From85),
        },
    };
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{}/responses", survey.id),
            &w.tokens.manager,
        )
        .json(&entered)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    for _ in 0..2 {
        assert_eq!(
            submit(&app, survey.id, &submission(&survey, answers(true, 5)))
                .await
                .status(),
            201
        );
    }
    let r: SurveyResultsDto = results(&app, &w.tokens.manager, survey.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert!(!r.suppressed);
    assert_eq!(r.responses, Some(7));
    let channel = |key: &str| r.by_channel.iter().find(|g| g.key == key).map(|g| g.count);
    assert_eq!(channel("online"), Some(Some(6)));
    assert_eq!(
        channel("paper"),
        Some(None),
        "1 paper response is suppressed"
    );
    let lift = r
        .questions
        .iter()
        .find(|q| q.question == "housing_lift")
        .unwrap();
    assert_eq!(lift.answered, Some(7));
    let yes = lift.options.iter().find(|o| o.key == "yes").unwrap();
    assert_eq!(yes.count, Some(5));
    let no = lift.options.iter().find(|o| o.key == "no").unwrap();
    assert_eq!(no.count, None, "2 people said no: suppressed");
    let minutes = r
        .questions
        .iter()
        .find(|q| q.question == "shops_minutes")
        .unwrap();
    assert_eq!(minutes.number.as_ref().map(|n| n.mean), Some(12.0));
    let wish = r.questions.iter().find(|q| q.question == "wish").unwrap();
    assert_eq!(wish.texts.len(), 7);

    // Filters: the 75–84 group has 4 people — suppressed; the paper channel alone too.
    let r: SurveyResultsDto = results(
        &app,
        &w.tokens.manager,
        survey.id,
        "?age_band=from_75_to_84",
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(r.suppressed);
    let r: SurveyResultsDto = results(&app, &w.tokens.manager, survey.id, "?channel=online")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.responses, Some(6));
    // Online cannot be typed in by staff.
    let mut online = entered.clone();
    online.id = Uuid::new_v4();
    online.channel = Channel::Online;
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{}/responses", survey.id),
            &w.tokens.manager,
        )
        .json(&online)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn staff_see_and_change_only_surveys_of_their_quarters() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // The admin of A makes one survey for q1 and one for q2 (the manager manages only q1).
    let in_q1: SurveyDto = create(
        &app,
        &w.tokens.admin,
        &template_request(vec![w.q1], public_and_codes(), true),
    )
    .await
    .json()
    .await
    .unwrap();
    let in_q2: SurveyDto = create(
        &app,
        &w.tokens.admin,
        &template_request(vec![w.q2], public_and_codes(), true),
    )
    .await
    .json()
    .await
    .unwrap();
    let both: SurveyDto = create(
        &app,
        &w.tokens.admin,
        &template_request(vec![w.q1, w.q2], public_and_codes(), true),
    )
    .await
    .json()
    .await
    .unwrap();
    let ids = |token: &str| {
        let app = &app;
        let token = token.to_owned();
        async move {
            let list: Vec<SurveySummaryDto> = app
                .authed(Method::GET, "/api/v1/surveys", &token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let mut ids: Vec<Uuid> = list.into_iter().map(|s| s.id).collect();
            ids.sort();
            ids
        }
    };
    let mut manager_sees = vec![in_q1.id, both.id];
    manager_sees.sort();
    assert_eq!(ids(&w.tokens.manager).await, manager_sees);
    assert_eq!(ids(&w.tokens.admin).await.len(), 3);
    assert!(ids(&w.tokens.admin_b).await.is_empty());

    let get = |token: &str, id: Uuid| {
        app.authed(Method::GET, &format!("/api/v1/surveys/{id}"), token)
            .send()
    };
    assert_eq!(
        get(&w.tokens.manager, in_q1.id).await.unwrap().status(),
        200
    );
    assert_eq!(
        get(&w.tokens.manager, in_q2.id).await.unwrap().status(),
        404
    );
    assert_eq!(
        get(&w.tokens.admin_b, in_q1.id).await.unwrap().status(),
        404
    );
    assert_eq!(
        get(&w.tokens.resident, in_q1.id).await.unwrap().status(),
        403
    );
    assert_eq!(
        get(&w.tokens.volunteer, in_q1.id).await.unwrap().status(),
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/surveys/{}", in_q1.id))
            .await
            .status(),
        401
    );
    // Sees the survey of q1 and q2 but may not change it (q2 is not theirs).
    assert_eq!(get(&w.tokens.manager, both.id).await.unwrap().status(), 200);
    assert_eq!(
        set_status(&app, &w.tokens.manager, both.id, SurveyStatus::Open)
            .await
            .status(),
        403
    );
    // Creating for a foreign quarter: as unknown as a quarter that does not exist.
    let p = problem(
        create(
            &app,
            &w.tokens.manager,
            &template_request(vec![w.q2], public_and_codes(), true),
        )
        .await,
    )
    .await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("quarter_ids", "unknown_quarter")
    );
    let p = problem(
        create(
            &app,
            &w.tokens.admin,
            &template_request(vec![w.q1, w.q3], public_and_codes(), true),
        )
        .await,
    )
    .await;
    assert_eq!(p.errors[0].code, "unknown_quarter");
    assert_eq!(
        create(
            &app,
            &w.tokens.resident,
            &template_request(vec![w.q1], public_and_codes(), true)
        )
        .await
        .status(),
        403
    );

    // Results of the shared survey: the manager of q1 counts only q1's responses.
    assert_eq!(
        set_status(&app, &w.tokens.admin, both.id, SurveyStatus::Open)
            .await
            .status(),
        200
    );
    let open: SurveyDto = get(&w.tokens.admin, both.id)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (quarter, n) in [(w.q1, 5), (w.q2, 6)] {
        for _ in 0..n {
            let mut body = submission(&open, answers(true, 3));
            body.profile.quarter_id = Some(quarter);
            assert_eq!(submit(&app, both.id, &body).await.status(), 201);
        }
    }
    let mine: SurveyResultsDto = results(&app, &w.tokens.manager, both.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.responses, Some(5));
    assert!(mine.by_quarter.iter().all(|g| g.key == w.q1.to_string()));
    let all: SurveyResultsDto = results(&app, &w.tokens.admin, both.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.responses, Some(11));
    let foreign = results(
        &app,
        &w.tokens.manager,
        both.id,
        &format!("?quarter_id={}", w.q2),
    )
    .await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(
        results(&app, &w.tokens.admin_b, both.id, "").await.status(),
        404
    );
    // Codes only for one's own quarters.
    let codes = app
        .authed(
            Method::POST,
            &format!("/api/v1/surveys/{}/codes", both.id),
            &w.tokens.manager,
        )
        .json(&json!({"quarter_id": w.q2, "count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(codes.status(), 400);
    let count = survey_response::Entity::find()
        .filter(survey_response::Column::SurveyId.eq(both.id))
        .count(app.db.conn())
        .await
        .unwrap();
    assert_eq!(count, 11);
}

/// The document allows a position up to 2^31 - 1 (the database column); a larger one
/// was stored as 0 and answered 200 (found by schemathesis).
#[tokio::test]
async fn a_draft_position_beyond_what_is_documented_is_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let path = format!("/api/v1/public/surveys/{}/draft", survey.id);
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let documented = &doc["components"]["schemas"]["SurveyDraftDto"]["properties"]["position"];
    assert_eq!(documented["maximum"], json!(i32::MAX));
    let put = |position: u64| {
        app.authed(Method::PUT, &path, &w.tokens.resident)
            .json(&json!({"answers": {}, "position": position}))
            .send()
    };
    let refused = put(u64::from(i32::MAX.unsigned_abs()) + 1).await.unwrap();
    assert_eq!(refused.status(), 400);
    let refused = problem(refused).await;
    assert_eq!(refused.errors.len(), 1);
    assert_eq!(refused.errors[0].field, "position");
    assert_eq!(refused.errors[0].code, "out_of_range");
    // Nothing was stored; the largest documented position is kept as it is.
    let get = || app.authed(Method::GET, &path, &w.tokens.resident).send();
    assert_eq!(get().await.unwrap().status(), 404);
    assert_eq!(
        put(u64::from(i32::MAX.unsigned_abs()))
            .await
            .unwrap()
            .status(),
        200
    );
    let back: shared::surveys::SurveyDraftDto = get().await.unwrap().json().await.unwrap();
    assert_eq!(back.position, i32::MAX.unsigned_abs());
}

/// A draft keeps what is unfinished (too few choices yet) and refuses what no further
/// answering could make right (a rating of 9), storing nothing then.
#[tokio::test]
async fn a_draft_keeps_unfinished_answers_and_refuses_impossible_ones() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let path = format!("/api/v1/public/surveys/{}/draft", survey.id);
    let put = |answers: serde_json::Value| {
        app.authed(Method::PUT, &path, &w.tokens.resident)
            .json(&json!({"answers": answers, "position": 1}))
            .send()
    };
    let refused = put(json!({
        "housing_lift": {"type": "yes_no", "value": true},
        "housing_fit": {"type": "rating", "value": 9}
    }))
    .await
    .unwrap();
    assert_eq!(refused.status(), 400);
    let refused = problem(refused).await;
    assert_eq!(refused.errors.len(), 1);
    assert_eq!(refused.errors[0].field, "answers.housing_fit");
    assert_eq!(refused.errors[0].code, "out_of_range");
    let get = || app.authed(Method::GET, &path, &w.tokens.resident).send();
    assert_eq!(get().await.unwrap().status(), 404);

    let unfinished = put(json!({
        "transport_used": {"type": "choices", "options": []},
        "housing_fit": {"type": "rating", "value": 4}
    }))
    .await
    .unwrap();
    assert_eq!(unfinished.status(), 200);
    let back: shared::surveys::SurveyDraftDto = get().await.unwrap().json().await.unwrap();
    assert_eq!(
        back.answers.get("housing_fit"),
        Some(&Answer::Rating { value: 4 })
    );
}

#[tokio::test]
async fn a_signed_in_person_resumes_a_draft_on_another_device() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let path = format!("/api/v1/public/surveys/{}/draft", survey.id);
    assert_eq!(
        app.authed(Method::GET, &path, &w.tokens.resident)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let draft = json!({"answers": {"housing_lift": {"type": "yes_no", "value": true}}, "profile": {}, "position": 2});
    let saved = app
        .authed(Method::PUT, &path, &w.tokens.resident)
        .json(&draft)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let back: shared::surveys::SurveyDraftDto = app
        .authed(Method::GET, &path, &w.tokens.resident)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(back.position, 2);
    assert_eq!(
        back.answers.get("housing_lift"),
        Some(&Answer::YesNo { value: true })
    );
    // Someone else has no draft; a draft names only questions of the survey.
    assert_eq!(
        app.authed(Method::GET, &path, &w.tokens.volunteer)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let bad = json!({"answers": {"zzz": {"type": "yes_no", "value": true}}, "position": 0});
    assert_eq!(
        app.authed(Method::PUT, &path, &w.tokens.resident)
            .json(&bad)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    // Submitting removes the draft.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/public/surveys/{}/responses", survey.id),
            &w.tokens.resident,
        )
        .json(&submission(&survey, answers(true, 3)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        app.authed(Method::GET, &path, &w.tokens.resident)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn the_demo_shows_surveys_with_responses_and_codes_to_try() {
    let app = spawn_app().await;
    assert!(quartier::demo::seed_if_empty(&app.db).await.unwrap());
    let session: shared::SessionDto = app
        .login(
            "manager@demo.quartier.example",
            quartier::demo::DEMO_PASSWORD,
        )
        .await
        .json()
        .await
        .unwrap();
    let token = session.access_token;
    let list: Vec<SurveySummaryDto> = app
        .authed(Method::GET, "/api/v1/surveys", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<SurveyStatus> = list.iter().map(|s| s.status).collect();
    for status in [
        SurveyStatus::Open,
        SurveyStatus::Draft,
        SurveyStatus::Closed,
    ] {
        assert!(statuses.contains(&status), "{statuses:?}");
    }
    let open = list
        .iter()
        .find(|s| s.status == SurveyStatus::Open)
        .unwrap();
    assert_eq!(open.responses, 340);
    let r: SurveyResultsDto = results(&app, &token, open.id, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.responses, Some(340));
    for channel in ["online", "paper", "phone", "assisted"] {
        assert!(r.by_channel.iter().any(|g| g.key == channel), "{channel}");
    }
    // A newcomer tries a code from the README.
    let survey: SurveyDto = app
        .authed(Method::GET, &format!("/api/v1/surveys/{}", open.id), &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut body = submission(&survey, answers(true, 4));
    body.code = Some(quartier::surveys::demo::DEMO_CODES[0].into());
    assert_eq!(submit(&app, open.id, &body).await.status(), 201);
}

#[tokio::test]
async fn one_batch_with_a_key_twice_and_a_code_or_a_person_twice_stores_each_once() {
    use quartier::surveys::ingest::{Outcome, Ticket, store};
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let generated = generate_codes(&app, &w, survey.id, 1).await;
    let hash = quartier::crypto::token_hash(&generated.codes[0].code.replace('-', ""));
    let now = time::OffsetDateTime::now_utc();
    let response = |ticket: Ticket| submitted(survey.id, Some(w.q1), &answers(true, 3), ticket);
    let plain = response(Ticket::None);
    let coded = response(Ticket::Code {
        hash: hash.clone(),
        redeemed_at: now,
    });
    let other_with_code = response(Ticket::Code {
        hash,
        redeemed_at: now,
    });
    let outcomes = store(&app.db, &[&plain, &plain, &coded, &other_with_code, &coded])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Stored,
            Outcome::Duplicate,
            Outcome::Stored,
            Outcome::CodeUsed,
            Outcome::Duplicate
        ]
    );
    // Retried in a later batch, the coded response is still a duplicate, not a used code.
    assert_eq!(
        store(&app.db, &[&coded]).await.unwrap(),
        vec![Outcome::Duplicate]
    );
    assert_eq!(stored_responses(&app, survey.id).await.len(), 2);

    // One person twice in a batch, then again in a later one: answered once.
    let first = response(Ticket::Participant(w.resident_q1));
    let second = response(Ticket::Participant(w.resident_q1));
    let someone_else = response(Ticket::Participant(w.resident_q2));
    assert_eq!(
        store(&app.db, &[&first, &second, &someone_else, &first])
            .await
            .unwrap(),
        vec![
            Outcome::Stored,
            Outcome::AlreadyAnswered,
            Outcome::Stored,
            Outcome::Duplicate
        ]
    );
    let third = response(Ticket::Participant(w.resident_q1));
    assert_eq!(
        store(&app.db, &[&third, &first]).await.unwrap(),
        vec![Outcome::AlreadyAnswered, Outcome::Duplicate]
    );
    assert_eq!(stored_responses(&app, survey.id).await.len(), 4);
}

/// On SQLite the writer remembers the tallies it wrote instead of reading them back.
/// A tally changed behind its back (here by a batch stored outside the writer) must be
/// noticed and read again, not overwritten with the remembered count plus the new one.
#[tokio::test]
async fn a_tally_changed_behind_the_writer_is_read_again_not_overwritten() {
    use quartier::surveys::ingest::{Ticket, store};
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let body = submission(&survey, answers(true, 4));
    assert_eq!(submit(&app, survey.id, &body).await.status(), 201);

    // The same group (no quarter, no age band, online), counted behind the writer.
    let behind = submitted(survey.id, None, &answers(false, 2), Ticket::None);
    store(&app.db, &[&behind]).await.unwrap();

    let body = submission(&survey, answers(true, 5));
    assert_eq!(submit(&app, survey.id, &body).await.status(), 201);

    let tally = only_tally(&app, survey.id).await;
    assert_eq!(tally.responses, 3, "every response counted once");
    assert_eq!(stored_responses(&app, survey.id).await.len(), 3);
    let lift = &tally.cells["housing_lift"];
    assert_eq!(
        (lift["yes"].n(), lift["no"].n()),
        (2, 1),
        "the answers of all three are counted"
    );
}

#[tokio::test]
async fn instances_storing_at_once_count_every_response_once() {
    use quartier::surveys::ingest::{Ticket, store};
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    // Two instances on one database (on PostgreSQL each with its own pool), each with
    // several batches of the same group under way at once: every batch reads, adds to
    // and writes back the one tally they share.
    let other = quartier::db::Db::connect(&app.database_url).await.unwrap();
    let batches: Vec<Vec<_>> = (0..40)
        .map(|b| {
            (0..5)
                .map(|i| submitted(survey.id, None, &answers((b + i) % 2 == 0, 4), Ticket::None))
                .collect()
        })
        .collect();
    let results = futures_util::future::join_all(batches.iter().enumerate().map(|(n, batch)| {
        let db = if n % 2 == 0 { &app.db } else { &other };
        async move { store(db, &batch.iter().collect::<Vec<_>>()).await }
    }))
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    let tally = only_tally(&app, survey.id).await;
    assert_eq!(stored_responses(&app, survey.id).await.len(), 200);
    assert_eq!(tally.responses, 200, "every response counted once");
    let lift = &tally.cells["housing_lift"];
    assert_eq!((lift["yes"].n(), lift["no"].n()), (100, 100));
}

/// The database server ended every connection (as a restart does) while the survey was
/// quiet: the next response is stored, not refused — the response writer's own pool
/// checks a connection that has been idle before a batch meets it.
#[tokio::test]
async fn the_writer_stores_again_after_the_server_dropped_its_connections() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    // Many at once, so that the writers have opened several connections.
    answer_at_once(&app, &survey, 60, 2).await;
    if app.db.kind() == DatabaseKind::Postgres {
        // Every connection of the server's role to this database but the one asking,
        // the writers' among them: not an autovacuum worker that may be busy there after
        // the 60 responses, which runs as a superuser and cannot be ended by this role.
        app.db
            .conn()
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND usename = current_user
                   AND pid <> pg_backend_pid()",
            ))
            .await
            .unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let second = submission(&survey, answers(false, 4));
    let response = submit(&app, survey.id, &second).await;
    assert_eq!(
        response.status(),
        201,
        "the response after the drop is stored"
    );
    assert_eq!(stored_responses(&app, survey.id).await.len(), 61);
    assert_eq!(tallied_responses(&app, survey.id).await, 61);
}

#[tokio::test]
async fn the_writer_counts_a_key_twice_in_a_batch_and_a_later_retry_once() {
    use quartier::surveys::counters::Known;
    use quartier::surveys::ingest::{Outcome, Ticket, store_remembering};
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let response = |lift: bool| submitted(survey.id, None, &answers(lift, 3), Ticket::None);
    let (a, b, c) = (response(true), response(false), response(true));
    let mut known = Known::default();
    assert_eq!(
        store_remembering(&app.db, &[&a, &a, &b], &mut known)
            .await
            .unwrap(),
        vec![Outcome::Stored, Outcome::Duplicate, Outcome::Stored]
    );
    // A retry of `b` beside a new response, with the tally remembered from the first.
    assert_eq!(
        store_remembering(&app.db, &[&c, &b], &mut known)
            .await
            .unwrap(),
        vec![Outcome::Stored, Outcome::Duplicate]
    );

    let tally = only_tally(&app, survey.id).await;
    assert_eq!(tally.responses, 3, "every response counted once");
    assert_eq!(stored_responses(&app, survey.id).await.len(), 3);
    let lift = &tally.cells["housing_lift"];
    assert_eq!((lift["yes"].n(), lift["no"].n()), (2, 1));
}

#[tokio::test]
async fn a_typed_code_finds_its_survey_without_redeeming_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let generated = generate_codes(&app, &w, survey.id, 2).await;
    let code = generated.codes[0].code.clone();
    let lookup = |typed: String| {
        let app = &app;
        async move {
            app.client
                .get(format!(
                    "{}/api/v1/public/access-codes/{typed}",
                    app.address
                ))
                .send()
                .await
                .unwrap()
        }
    };

    // Typed as people type it: small letters, a space instead of the dash.
    let found = lookup(code.to_lowercase().replace('-', "%20")).await;
    assert_eq!(found.status(), 200);
    let found: shared::surveys::AccessCodeLookupDto = found.json().await.unwrap();
    assert_eq!(
        (found.survey_id, found.code.as_str(), found.redeemed),
        (survey.id, code.as_str(), false)
    );

    // Looking it up redeemed nothing: the code still answers once, then says so.
    let mut body = submission(&survey, answers(true, 4));
    body.code = Some(code.clone());
    assert_eq!(submit(&app, survey.id, &body).await.status(), 201);
    let found: shared::surveys::AccessCodeLookupDto =
        lookup(code.clone()).await.json().await.unwrap();
    assert!(found.redeemed);

    for unknown in ["AAAA-AAAA", "ABC", "x"] {
        let response = lookup(unknown.to_owned()).await;
        assert_eq!(response.status(), 404, "{unknown}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
}

/// Several writers at once — what several server instances on one PostgreSQL are — add
/// to the same tallies without losing a count (each batch reads, adds and writes a
/// group's tally back: without the per-survey lock two batches would overwrite each
/// other, or both insert a new group's row).
#[tokio::test]
async fn writers_in_parallel_lose_no_count() {
    use quartier::surveys::counters;
    use quartier::surveys::ingest::{self, Submission, Ticket};

    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let writers = 6;
    let batches = 4;
    let per_batch = 5;
    let mut tasks = Vec::new();
    for writer in 0..writers {
        let db = app.db.clone();
        let survey_id = survey.id;
        let quarter = w.q1;
        tasks.push(tokio::spawn(async move {
            for batch in 0..batches {
                let rows: Vec<Submission> = (0..per_batch)
                    .map(|i| {
                        let answers = answers((writer + batch + i) % 2 == 0, 4);
                        // Two groups, one of them new to every writer's first batch.
                        submitted(
                            survey_id,
                            (i % 2 == 0).then_some(quarter),
                            &answers,
                            Ticket::None,
                        )
                    })
                    .collect();
                let refs: Vec<&Submission> = rows.iter().collect();
                ingest::store(&db, &refs).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let expected = i64::from(writers * batches * per_batch);
    let tallies = survey_tally::Entity::find()
        .filter(survey_tally::Column::SurveyId.eq(survey.id))
        .all(app.db.conn())
        .await
        .unwrap();
    let responses: i64 = tallies.iter().map(|t| t.responses).sum();
    assert_eq!(responses, expected, "every response counted once");
    let lift_answers: i64 = tallies
        .iter()
        .map(|t| {
            counters::Tally::from_row(t.responses, &t.counts)
                .unwrap()
                .cells["housing_lift"][""]
                .n()
        })
        .sum();
    assert_eq!(lift_answers, expected, "every answer counted once");
}

async fn my_surveys(app: &TestApp, token: &str) -> Vec<MySurveyDto> {
    let response = app
        .authed(Method::GET, "/api/v1/me/surveys", token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_resident_sees_the_open_surveys_of_their_own_quarter_only() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let keys = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123");
    let resident_q2 = keys.issue(w.resident_q2).unwrap();
    let resident_q3 = keys.issue(w.resident_q3).unwrap();

    // Open in q1; a draft in q1; open in q2, by code only.
    let q1_open = open_survey(&app, &w, true).await;
    let draft = create(
        &app,
        &w.tokens.manager,
        &template_request(vec![w.q1], public_and_codes(), true),
    )
    .await;
    assert_eq!(draft.status(), 201);
    let draft: SurveyDto = draft.json().await.unwrap();
    let codes_only = SurveyAccess {
        public_link: false,
        codes: true,
        signed_in: false,
    };
    let q2_survey: SurveyDto = create(
        &app,
        &w.tokens.admin,
        &template_request(vec![w.q2], codes_only, true),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        set_status(&app, &w.tokens.admin, q2_survey.id, SurveyStatus::Open)
            .await
            .status(),
        200
    );

    // The resident of q1 sees the open survey of q1, not yet answered, and nothing else:
    // not the draft, not the survey of the neighbouring quarter.
    let mine = my_surveys(&app, &w.tokens.resident).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].id, q1_open.id);
    assert_eq!(mine[0].title, q1_open.title);
    assert!(!mine[0].answered && !mine[0].needs_code);
    assert!(
        mine.iter()
            .all(|s| s.id != draft.id && s.id != q2_survey.id)
    );

    // Once they answered signed in, it says so.
    let answered = app
        .authed(
            Method::POST,
            &format!("/api/v1/public/surveys/{}/responses", q1_open.id),
            &w.tokens.resident,
        )
        .json(&submission(&q1_open, answers(true, 4)))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 201);
    let mine = my_surveys(&app, &w.tokens.resident).await;
    assert!(mine[0].answered);

    // A resident of q2 does NOT see q1's survey, only their own quarter's (code only).
    let theirs = my_surveys(&app, &resident_q2).await;
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    assert_eq!(theirs[0].id, q2_survey.id);
    assert!(theirs[0].needs_code && !theirs[0].answered);
    assert!(theirs.iter().all(|s| s.id != q1_open.id));

    // Another organisation's resident sees none of them.
    assert!(my_surveys(&app, &resident_q3).await.is_empty());

    // Closed surveys leave the list.
    set_status(&app, &w.tokens.manager, q1_open.id, SurveyStatus::Closed).await;
    assert!(my_surveys(&app, &w.tokens.resident).await.is_empty());

    // Signed out: 401.
    let anonymous = app.get("/api/v1/me/surveys").await;
    assert_eq!(anonymous.status(), 401);

    // Documented like its neighbours.
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/me/surveys"]["get"]["security"].is_array());
    assert!(doc["components"]["schemas"]["MySurveyDto"].is_object());
}

/// Migration 000012 on SQLite: the responses move from a table in key order to one in
/// the order of arrival and back, every row kept, and the rows it brings are taken as
/// mixed already (they come in key order, which says nothing of their arrival).
#[tokio::test]
async fn migration_12_keeps_every_response_both_ways() {
    use migrations::{Migrator, MigratorTrait};
    let app = spawn_app().await;
    if app.db.kind() != DatabaseKind::Sqlite {
        return;
    }
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let mut bodies = Vec::new();
    for i in 0..6u8 {
        let body = submission(&survey, answers(i % 2 == 0, 1 + i % 5));
        assert_eq!(submit(&app, survey.id, &body).await.status(), 201);
        bodies.push(body);
    }
    let sorted = |mut rows: Vec<survey_response::Model>| {
        rows.sort_by_key(|r| r.id);
        rows
    };
    let stored = sorted(stored_responses(&app, survey.id).await);
    let table = || async {
        let row = app
            .db
            .conn()
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT lower(sql) AS def FROM sqlite_master WHERE name = 'survey_responses'",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<String>("", "def").unwrap()
    };
    assert!(
        table()
            .await
            .contains("\"seq\" integer not null primary key autoincrement")
    );

    Migrator::down(app.db.writer(), Some(1)).await.unwrap();
    assert!(table().await.contains("without rowid"), "{}", table().await);
    assert_eq!(sorted(stored_responses(&app, survey.id).await), stored);

    Migrator::up(app.db.writer(), None).await.unwrap();
    assert!(!table().await.contains("without rowid"));
    assert_eq!(sorted(stored_responses(&app, survey.id).await), stored);
    assert_eq!(
        mix(&app.db, None).await.unwrap(),
        0,
        "the copied rows need no mixing"
    );
    // A retry of a copied response is still known by its key; a new one is stored.
    assert_eq!(submit(&app, survey.id, &bodies[0]).await.status(), 200);
    let newcomer = submission(&survey, answers(true, 2));
    assert_eq!(submit(&app, survey.id, &newcomer).await.status(), 201);
    assert_eq!(
        mix(&app.db, None).await.unwrap(),
        7,
        "the day with the newcomer"
    );
}
