//! Findings of the outside audit of the base (issue 14), each with its regression test.

use reqwest::Method;

use quartier::entities::refresh_token;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{GOOD_PASSWORD, TestApp, refresh_cookie, spawn_app, spawn_app_with};

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

/// Presents a refresh token from a client without a cookie jar; returns status and the
/// new cookie's `name=value`.
async fn refresh_with(app: &TestApp, cookie: &str) -> (u16, Option<String>) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .header("x-quartier-csrf", "1")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let next = refresh_cookie(&response).map(|c| c.split(';').next().unwrap().to_owned());
    (response.status().as_u16(), next)
}

async fn live_refresh_tokens(app: &TestApp) -> u64 {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .count(app.db.conn())
        .await
        .unwrap()
}

// Item 6: a token replayed within the grace period must not start a second chain.
#[tokio::test]
async fn a_refresh_token_replayed_within_the_grace_period_gets_the_same_successor() {
    let app = spawn_app_with(|s| s.refresh_grace_secs = 30).await;
    app.register("grace@example.de").await;
    let login = app.login("grace@example.de", GOOD_PASSWORD).await;
    let first = refresh_cookie(&login).unwrap();
    let first = first.split(';').next().unwrap().to_owned();

    let (status, second) = refresh_with(&app, &first).await;
    assert_eq!(status, 200);
    let second = second.unwrap();
    for _ in 0..3 {
        let (status, again) = refresh_with(&app, &first).await;
        assert_eq!(status, 200);
        assert_eq!(again.as_deref(), Some(second.as_str()), "same successor");
    }
    // The registration's session and this login's: one live token each, no forks.
    assert_eq!(live_refresh_tokens(&app).await, 2);

    // The chain goes on from the one successor, and the old token leads into it.
    let (status, third) = refresh_with(&app, &second).await;
    assert_eq!(status, 200);
    let (status, via_first) = refresh_with(&app, &first).await;
    assert_eq!(status, 200);
    assert_eq!(via_first.as_deref(), Some(second.as_str()));
    let (status, via_second) = refresh_with(&app, &second).await;
    assert_eq!(status, 200);
    assert_eq!(via_second, third);
    assert_eq!(live_refresh_tokens(&app).await, 2);
}
