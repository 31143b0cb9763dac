//! The OpenAPI document is the contract the server keeps: what the server answers to
//! bad requests is listed there, with the media type it is sent in. These checks run
//! with every `cargo test`; the test lane also lints the document with Redocly.

use reqwest::Method;
use serde_json::Value;
use shared::Role;

use crate::fixtures::{person, world};
use crate::helpers::{TestApp, spawn_app};

const PROBLEM: &str = "application/problem+json";

/// Every operation of the served document: (method, path template, operation).
async fn operations(app: &TestApp) -> Vec<(Method, String, Value)> {
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            all.push((method, path.clone(), op.clone()));
        }
    }
    assert!(all.len() > 40, "only {} operations documented", all.len());
    all
}

/// The path with every `{parameter}` filled with an id that names nothing.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                uuid::Uuid::new_v4().to_string()
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn documents(op: &Value, status: u16) -> bool {
    let responses = &op["responses"];
    responses.get(status.to_string()).is_some() || (status >= 500 && responses.get("5XX").is_some())
}

/// Client generators name their functions after operation ids: two alike break them.
#[tokio::test]
async fn every_operation_has_its_own_id() {
    let app = spawn_app().await;
    let mut seen = std::collections::BTreeMap::new();
    let mut twice = Vec::new();
    for (method, path, op) in operations(&app).await {
        let id = op["operationId"].as_str().unwrap_or("").to_owned();
        assert!(!id.is_empty(), "{method} {path} has no operationId");
        if let Some(first) = seen.insert(id.clone(), format!("{method} {path}")) {
            twice.push(format!("{id}: {first} and {method} {path}"));
        }
    }
    assert!(twice.is_empty(), "{}", twice.join("\n"));
}

#[tokio::test]
async fn every_documented_error_is_problem_json_and_has_a_description() {
    let app = spawn_app().await;
    let mut wrong = Vec::new();
    for (method, path, op) in operations(&app).await {
        for (status, response) in op["responses"].as_object().unwrap() {
            if response["description"].as_str().unwrap_or("").is_empty() {
                wrong.push(format!("{method} {path} {status}: no description"));
            }
            if status.starts_with('4') || status.starts_with('5') {
                let types: Vec<&String> = response["content"].as_object().unwrap().keys().collect();
                if types != [PROBLEM] {
                    wrong.push(format!("{method} {path} {status}: {types:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Bodies the server must refuse, sent to every operation that takes one, by someone
/// who holds every role (so no 401/403 answers first): the answer is a documented
/// status, a problem, and never a success.
#[tokio::test]
async fn what_the_server_refuses_is_documented_and_a_problem() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let everyone = person(
        &app,
        "all-roles@example.de",
        Some(w.q1),
        &[
            (Role::Resident, None, None),
            (Role::Volunteer, None, None),
            (Role::Manager, Some(w.org_a), Some(w.q1)),
            (Role::Admin, Some(w.org_a), None),
        ],
    )
    .await;
    let token = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123")
        .issue(everyone)
        .unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (method, path, op) in operations(&app).await {
        if op.get("requestBody").is_none() {
            continue;
        }
        // Not JSON (415), an array where an object belongs, and JSON that is no JSON (400).
        let bodies: [(&str, &str, &[u16]); 3] = [
            ("text/plain", "{}", &[415]),
            ("application/json", "[]", &[400]),
            ("application/json", "{\"", &[400]),
        ];
        for (content_type, body, want) in bodies {
            let url = app.url(&concrete(&path));
            let response = app
                .client
                .request(method.clone(), url)
                .bearer_auth(&token)
                .header("content-type", content_type)
                .header("x-quartier-csrf", "1")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let media = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            checked += 1;
            if !want.contains(&status) || !documents(&op, status) || media != PROBLEM {
                wrong.push(format!(
                    "{method} {path} with {content_type} {body}: {status} {media} \
                     (want {want:?}, documented: {})",
                    documents(&op, status)
                ));
            }
        }
    }
    assert!(checked > 60, "only {checked} requests checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A documented path asked with a method it does not have is 405 with `Allow`, as
/// the fuzzer's `unsupported_method` check expects, not the 404 of an unknown path.
#[tokio::test]
async fn a_wrong_method_on_a_documented_path_is_405_with_allow() {
    let app = spawn_app().await;
    let ops = operations(&app).await;
    let mut wrong = Vec::new();
    for (_, path, _) in &ops {
        let allowed: Vec<String> = ops
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m.to_string())
            .collect();
        let Some(other) = ["GET", "POST", "PUT", "PATCH", "DELETE"]
            .into_iter()
            .find(|m| !allowed.iter().any(|a| a == m))
        else {
            continue;
        };
        let response = app
            .client
            .request(
                Method::from_bytes(other.as_bytes()).unwrap(),
                app.url(&concrete(path)),
            )
            .send()
            .await
            .unwrap();
        let allow = response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = response.status().as_u16();
        let mut listed: Vec<String> = allow
            .as_deref()
            .unwrap_or("")
            .split(", ")
            .map(str::to_owned)
            .collect();
        listed.sort();
        let mut want = allowed.clone();
        want.sort();
        if status != 405 || listed != want {
            wrong.push(format!(
                "{other} {path}: {status}, Allow {allow:?}, want {want:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Small numbers say the range the server takes, not a 32-bit integer's: `u8` fields
/// were documented as `int32`, so 15 to 2^31 - 1 were schema-valid and refused (as 400
/// `validation_failed`, or `malformed_body` from 256). The bounds are the shared rules'.
#[tokio::test]
async fn small_numbers_state_the_range_the_server_takes() {
    use shared::help::{MAX_FLEXIBLE_DAYS, MAX_TASKS_PER_WEEK, MAX_WEEKS};
    use shared::surveys::MAX_CODES_PER_REQUEST;
    let app = spawn_app().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let flexible_days = schemas["HelpWindow"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|variant| variant["properties"].get("days"))
        .expect("the flexible window's days");
    let fields = [
        (
            "VolunteerOfferRequest.max_tasks_per_week",
            &schemas["VolunteerOfferRequest"]["properties"]["max_tasks_per_week"],
            u32::from(MAX_TASKS_PER_WEEK),
        ),
        (
            "HelpRequestRequest.weeks",
            &schemas["HelpRequestRequest"]["properties"]["weeks"],
            u32::from(MAX_WEEKS),
        ),
        (
            "HelpWindow days",
            flexible_days,
            u32::from(MAX_FLEXIBLE_DAYS),
        ),
        (
            "GenerateCodesRequest.count",
            &schemas["GenerateCodesRequest"]["properties"]["count"],
            MAX_CODES_PER_REQUEST,
        ),
    ];
    for (name, schema, max) in fields {
        assert_eq!(
            (schema["minimum"].as_u64(), schema["maximum"].as_u64()),
            (Some(1), Some(u64::from(max))),
            "{name}: {schema}"
        );
    }
}
