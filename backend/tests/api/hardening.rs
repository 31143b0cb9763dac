//! Findings of the outside audit of the base (issue 14), each with its regression test.

use reqwest::Method;

use crate::helpers::{GOOD_PASSWORD, spawn_app};

#[tokio::test]
async fn api_answers_with_personal_data_are_never_cached() {
    let app = spawn_app().await;
    let session = app.register("cache@example.de").await;
    let me = app
        .authed(Method::GET, "/api/v1/me", &session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.headers()["cache-control"], "no-store");
    let export = app
        .authed(Method::GET, "/api/v1/me/export", &session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.headers()["cache-control"], "no-store");
    let login = app.login("cache@example.de", GOOD_PASSWORD).await;
    assert_eq!(login.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_burst_of_sign_ins_is_queued_and_the_rest_turned_away_not_hashed_at_once() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..400).map(|i| format!("nobody{i}@example.de")).collect();
    let attempts = emails.iter().map(|e| app.login(e, "wrong-password-123"));
    let responses = futures_util::future::join_all(attempts).await;
    let mut busy = 0;
    for r in responses {
        match r.status().as_u16() {
            401 => {}
            503 => {
                assert_eq!(r.headers()["retry-after"], "2");
                busy += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(busy > 0, "400 hashes at once must not all be queued");
}
