//! Findings of the outside audit of the base (issue 14), each with its regression test.

use reqwest::Method;

use quartier::auth::limits::{AccountKey, KEY_BUCKETS, LimitSettings, Limits};
use quartier::entities::refresh_token;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use shared::accounts::ResetCodeDto;

use crate::fixtures::world;
use crate::helpers::{GOOD_PASSWORD, TestApp, problem, refresh_cookie, spawn_app, spawn_app_with};

fn strict_limits(per_account: u32) -> impl FnOnce(&mut quartier::config::Settings) {
    move |s| {
        s.limits = LimitSettings {
            per_ip_per_minute: 1_000,
            per_account_per_minute: per_account,
        }
    }
}

async fn login_from(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> u16 {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

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

// Item 5: strangers' wrong passwords must not lock the owner out.
#[tokio::test]
async fn strangers_guessing_a_password_do_not_lock_the_owner_out() {
    let app = spawn_app_with(strict_limits(3)).await;
    // The owner signs up on this device (`app.client` keeps its cookies).
    app.register("owner@example.de").await;
    // A stranger who signed in to an account of their own, on another device.
    let stranger = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    stranger
        .post(app.url("/api/v1/auth/register"))
        .json(&app.register_request("stranger@example.de"))
        .send()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(login_from(&app, &stranger, "owner@example.de", "falsch-falsch-1").await);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    // Brute force is still stopped: from a device unknown to the account even the right
    // password waits (the stranger's own device cookie names another account).
    assert_eq!(
        login_from(&app, &stranger, "owner@example.de", GOOD_PASSWORD).await,
        429
    );
    assert_eq!(
        login_from(
            &app,
            &reqwest::Client::new(),
            "owner@example.de",
            GOOD_PASSWORD
        )
        .await,
        429
    );
    // The owner's device signed in before: it gets in.
    assert_eq!(
        app.login("owner@example.de", GOOD_PASSWORD).await.status(),
        200
    );
}

// Item 3: a stolen access token must not give unlimited password guesses.
#[tokio::test]
async fn password_checks_behind_a_token_are_limited_per_account() {
    let app = spawn_app_with(strict_limits(3)).await;
    let session = app.register("checks@example.de").await;
    let token = &session.access_token;
    for _ in 0..3 {
        let wrong = app
            .authed(Method::POST, "/api/v1/me/password", token)
            .json(&json!({"current_password": "falsch-falsch-1", "new_password": "Kastanie-Rosenweg-12"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 400);
    }
    let limited = app
        .authed(Method::POST, "/api/v1/me/password", token)
        .json(&json!({"current_password": GOOD_PASSWORD, "new_password": "Kastanie-Rosenweg-12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let delete = app
        .authed(Method::DELETE, "/api/v1/me", token)
        .json(&json!({"password": "falsch-falsch-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 429);
    assert_eq!(problem(delete).await.code, shared::ErrorCode::RateLimited);
}

// Item 4: the limiters hold a bounded number of counters whatever keys arrive.
#[test]
fn limiter_counters_stay_bounded_over_100_000_distinct_keys() {
    let limits = Limits::new(LimitSettings {
        per_ip_per_minute: 5,
        per_account_per_minute: 5,
    });
    let bound = 2 * KEY_BUCKETS as usize;
    let mut sizes = Vec::new();
    for round in 0..2u32 {
        for i in 0..100_000u32 {
            let ip = format!("2001:db8:{round:x}:{i:x}::1");
            let email = format!("attacker{round}-{i}@example.de");
            let _ = limits.check(&ip, Some(AccountKey::Email(&email)));
        }
        sizes.push(limits.len());
    }
    assert!(sizes.iter().all(|&n| n <= bound), "{sizes:?} > {bound}");
}

#[test]
fn limiter_counters_are_pruned_once_refilled() {
    // 60,000 a minute: a counter refills in a millisecond.
    let limits = Limits::new(LimitSettings {
        per_ip_per_minute: 60_000,
        per_account_per_minute: 60_000,
    });
    for i in 0..1_000u32 {
        let email = format!("p{i}@example.de");
        limits
            .check(
                &format!("10.0.{}.{}", i / 256, i % 256),
                Some(AccountKey::Email(&email)),
            )
            .unwrap();
    }
    assert!(limits.len() > 1_000);
    std::thread::sleep(std::time::Duration::from_millis(50));
    limits.prune();
    assert_eq!(limits.len(), 0);
}

// Item 2: reset-password says nothing about which addresses have accounts.
#[tokio::test]
async fn a_failed_reset_answers_the_same_whoever_the_address_belongs_to() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let code: ResetCodeDto = app
        .authed(
            Method::POST,
            &format!("/api/v1/manager/residents/{}/reset-code", w.resident_q1),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut answers = Vec::new();
    for (email, code, password) in [
        ("r1@example.de", "AAAA-AAAA", "kurz"),
        ("r1@example.de", "AAAA-AAAA", "Kastanie-Rosenweg-12"),
        ("nobody@example.de", "AAAA-AAAA", "kurz"),
        ("nobody@example.de", "AAAA-AAAA", "Kastanie-Rosenweg-12"),
        // A valid code, but someone else's address.
        ("r2@example.de", code.code.as_str(), "kurz"),
        (
            "nobody@example.de",
            code.code.as_str(),
            "Kastanie-Rosenweg-12",
        ),
    ] {
        let response = app
            .post_json(
                "/api/v1/auth/reset-password",
                &json!({"email": email, "code": code, "new_password": password}),
            )
            .await;
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        answers.push((status, body));
    }
    assert_eq!(answers[0].0, 400);
    assert_eq!(answers[0].1["errors"][0]["code"], "invalid_code");
    for answer in &answers {
        assert_eq!(answer, &answers[0]);
    }
    // Trying it elsewhere did not use the code up.
    let ok = app
        .post_json(
            "/api/v1/auth/reset-password",
            &json!({"email": "r1@example.de", "code": code.code, "new_password": "Kastanie-Rosenweg-12"}),
        )
        .await;
    assert_eq!(ok.status(), 204);
}

// Item 2: registration's 409 tells that an address is taken, so it is limited like a login.
#[tokio::test]
async fn registering_a_taken_address_again_and_again_is_limited() {
    let app = spawn_app_with(strict_limits(3)).await;
    app.register("taken@example.de").await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let again = reqwest::Client::new()
            .post(app.url("/api/v1/auth/register"))
            .json(&app.register_request("taken@example.de"))
            .send()
            .await
            .unwrap();
        statuses.push(again.status().as_u16());
    }
    assert_eq!(statuses, [409, 409, 429]);
}

// Item 1: an address that looks like another is that address, or is refused.
#[tokio::test]
async fn look_alike_addresses_are_the_same_account_or_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    app.register("erna@example.de").await;
    let register = |email: &'static str| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .post(app.url("/api/v1/auth/register"))
                .json(&app.register_request(email))
                .send()
                .await
                .unwrap()
        }
    };
    // Invisible and compatibility characters fold away: the same address, taken.
    for same in [
        "er\u{200B}na@example.de",
        "er\u{00AD}na@example.de",
        "\u{FF45}rna@example.de",
        "ERNA@EXAMPLE.DE",
    ] {
        assert_eq!(register(same).await.status(), 409, "{same:?}");
    }
    // Look-alikes from other scripts are refused.
    for lookalike in [
        "ern\u{043E}@example.de",
        "erna@ex\u{0430}mple.de",
        "fr\u{0131}tz@example.de",
    ] {
        let refused = register(lookalike).await;
        assert_eq!(refused.status(), 400, "{lookalike:?}");
        let problem = problem(refused).await;
        assert_eq!(problem.errors[0].field, "email");
        assert_eq!(problem.errors[0].code, "invalid_email");
    }
    // Signing in with the fullwidth spelling reaches the one account.
    assert_eq!(
        app.login("\u{FF45}rna@example.de", GOOD_PASSWORD)
            .await
            .status(),
        200
    );
    // Invitations refuse look-alikes too.
    let invite = app
        .authed(Method::POST, "/api/v1/admin/invitations", &w.tokens.admin)
        .json(&json!({"email": "ern\u{043E}@example.de", "display_name": "Erna", "quarter_ids": [w.q1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(invite.status(), 400);
}

// Item 9: an anonymous page load asks to restore a session; "none" is not an error.
#[tokio::test]
async fn restoring_a_session_without_a_cookie_is_not_an_error() {
    let app = spawn_app().await;
    let anonymous = app.post_with_cookie("/api/v1/auth/refresh").await;
    assert_eq!(anonymous.status(), 204);
    assert!(refresh_cookie(&anonymous).is_none());
    assert!(anonymous.text().await.unwrap().is_empty());
}

// Item 7: spent sessions and codes are deleted; the export lists live sessions only.
#[tokio::test]
async fn cleanup_deletes_spent_sessions_and_codes_and_the_export_lists_live_sessions() {
    use quartier::entities::{invitation, invitation_quarter, reset_code};
    use sea_orm::{ActiveModelTrait, Set};
    use time::{Duration, OffsetDateTime};
    use uuid::Uuid;

    let app = spawn_app().await;
    let w = world(&app).await;
    let session = app.register("tidy@example.de").await;
    // This device refreshes three times: three used tokens, one live.
    for _ in 0..3 {
        assert_eq!(
            app.post_with_cookie("/api/v1/auth/refresh").await.status(),
            200
        );
    }
    let export: shared::accounts::MyDataExport = app
        .authed(Method::GET, "/api/v1/me/export", &session.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(export.sessions.len(), 1, "one device, one session");
    assert!(export.sessions[0].active);

    let now = OffsetDateTime::now_utc();
    let conn = app.db.conn();
    let token = |expires: Duration, used: Option<Duration>, revoked: Option<Duration>| {
        refresh_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(w.resident_q1),
            family_id: Set(Uuid::now_v7()),
            token_hash: Set(Uuid::new_v4().simple().to_string()),
            expires_at: Set(now + expires),
            used_at: Set(used.map(|d| now - d)),
            revoked_at: Set(revoked.map(|d| now - d)),
            created_at: Set(now - Duration::days(1)),
        }
    };
    // Expired, revoked two days ago: deleted. Live, used a minute ago, revoked a minute ago: kept.
    for t in [
        token(-Duration::hours(1), None, None),
        token(
            Duration::days(3),
            Some(Duration::days(2)),
            Some(Duration::days(2)),
        ),
        token(Duration::days(3), None, None),
        token(Duration::days(3), Some(Duration::minutes(1)), None),
        token(Duration::days(3), None, Some(Duration::minutes(1))),
    ] {
        t.insert(conn).await.unwrap();
    }
    let code = |expires: Duration, used: bool| reset_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(w.resident_q2),
        code_hash: Set(Uuid::new_v4().simple().to_string()),
        created_by: Set(None),
        expires_at: Set(now + expires),
        used_at: Set(used.then_some(now)),
        created_at: Set(now),
    };
    for c in [
        code(Duration::hours(1), false),
        code(Duration::hours(1), true),
        code(-Duration::hours(1), false),
    ] {
        c.insert(conn).await.unwrap();
    }
    let invite = |expires: Duration, accepted: bool| invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(w.org_a),
        email: Set(format!("{}@example.de", Uuid::new_v4().simple())),
        display_name: Set("Nina Neu".into()),
        code_hash: Set(Uuid::new_v4().simple().to_string()),
        created_by: Set(None),
        expires_at: Set(now + expires),
        accepted_at: Set(accepted.then_some(now)),
        created_at: Set(now),
    };
    for i in [
        invite(Duration::days(1), false),
        invite(Duration::days(1), true),
        invite(-Duration::days(1), false),
    ] {
        let i = i.insert(conn).await.unwrap();
        invitation_quarter::ActiveModel {
            invitation_id: Set(i.id),
            quarter_id: Set(w.q1),
        }
        .insert(conn)
        .await
        .unwrap();
    }

    // Two instances cleaning up at once: both succeed, each row goes once.
    let (a, b) = tokio::join!(
        quartier::maintenance::cleanup(&app.db),
        quartier::maintenance::cleanup(&app.db)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.refresh_tokens + b.refresh_tokens, 2);
    assert_eq!(a.reset_codes + b.reset_codes, 2);
    assert_eq!(a.invitations + b.invitations, 2);
    let remaining = refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(w.resident_q1))
        .count(conn)
        .await
        .unwrap();
    assert_eq!(remaining, 3);
    assert_eq!(reset_code::Entity::find().count(conn).await.unwrap(), 1);
    assert_eq!(invitation::Entity::find().count(conn).await.unwrap(), 1);
    assert_eq!(
        invitation_quarter::Entity::find()
            .count(conn)
            .await
            .unwrap(),
        1,
        "a deleted invitation's quarters go with it"
    );
}

// Item 22: instances starting together with demo data on: one seeds, none dies.
#[tokio::test]
async fn instances_seeding_demo_data_together_all_start() {
    use quartier::entities::organisation;
    let app = spawn_app().await;
    let (a, b, c) = tokio::join!(
        quartier::demo::seed_if_empty(&app.db),
        quartier::demo::seed_if_empty(&app.db),
        quartier::demo::seed_if_empty(&app.db)
    );
    let seeded: Vec<bool> = [a, b, c].into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(seeded.iter().filter(|s| **s).count(), 1, "{seeded:?}");
    assert_eq!(
        organisation::Entity::find()
            .count(app.db.conn())
            .await
            .unwrap(),
        1
    );
}

// Item 18: no Debug output (logs, traces, panics) carries a secret or a hash.
#[tokio::test]
async fn secrets_and_hashes_never_print() {
    use quartier::entities::user;
    let mut printed = String::new();
    let app = spawn_app_with(|s| printed = format!("{s:?}")).await;
    assert!(printed.contains("jwt_secret"));
    assert!(!printed.contains("test-secret-test-secret"), "{printed}");
    // On PostgreSQL the URL's password (the test role's is its name).
    assert!(!printed.contains(":quartier_test@"), "{printed}");

    let password = "Geheim-Kennwort-0815";
    let requests = [
        format!(
            "{:?}",
            shared::accounts::LoginRequest {
                email: "e@example.de".into(),
                password: password.into()
            }
        ),
        format!(
            "{:?}",
            shared::accounts::RegisterRequest {
                password: password.into(),
                ..app.register_request("e@example.de")
            }
        ),
        format!(
            "{:?}",
            shared::accounts::ChangePasswordRequest {
                current_password: password.into(),
                new_password: password.into()
            }
        ),
        format!(
            "{:?}",
            shared::accounts::DeleteAccountRequest {
                password: password.into()
            }
        ),
        format!(
            "{:?}",
            shared::accounts::ResetPasswordRequest {
                email: "e@example.de".into(),
                code: password.into(),
                new_password: password.into()
            }
        ),
    ];
    for r in &requests {
        assert!(!r.contains(password), "{r}");
    }

    let session = app.register("hash@example.de").await;
    assert!(!format!("{session:?}").contains(&session.access_token));
    let stored = user::Entity::find()
        .filter(user::Column::Email.eq("hash@example.de"))
        .one(app.db.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"));
    let shown = format!("{stored:?}");
    assert!(!shown.contains("$argon2id$"), "{shown}");
}

// Item 16: HSTS when the operator says the server is reached over HTTPS, never by default.
#[tokio::test]
async fn hsts_is_sent_when_configured_and_only_then() {
    let plain = spawn_app().await;
    let answer = plain.get("/api/v1/health").await;
    assert!(answer.headers().get("strict-transport-security").is_none());
    let tls = spawn_app_with(|s| s.hsts_max_age_secs = 31_536_000).await;
    for path in ["/api/v1/health", "/"] {
        let answer = tls.get(path).await;
        assert_eq!(
            answer.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
}

// Item 12: an erased account is not left readable in the database files.
#[tokio::test]
async fn a_deleted_account_leaves_nothing_readable_in_the_sqlite_files() {
    let app = spawn_app().await;
    if std::env::var("QUARTIER_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        // PostgreSQL's files are the server's; see ARCHITECTURE.md (VACUUM).
        return;
    }
    let (email, name, phone) = (
        "zq-erased@example.de",
        "Zyprian Quastwurst",
        "030 4711 0815",
    );
    let request = shared::accounts::RegisterRequest {
        display_name: name.into(),
        ..app.register_request(email)
    };
    let session: shared::SessionDto = app
        .post_json("/api/v1/auth/register", &request)
        .await
        .json()
        .await
        .unwrap();
    let token = &session.access_token;
    let patched = app
        .authed(Method::PATCH, "/api/v1/me", token)
        .json(&json!({"phone": phone}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let deleted = app
        .authed(Method::DELETE, "/api/v1/me", token)
        .json(&json!({"password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let mut bytes = Vec::new();
    for file in ["test.db", "test.db-wal"] {
        if let Ok(content) = std::fs::read(app.data_dir.path().join(file)) {
            bytes.extend(content);
        }
    }
    assert!(!bytes.is_empty());
    for needle in [email, name, phone] {
        let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!found, "{needle:?} is still in the database files");
    }
}

// Item 11: a resident sees in their export that a manager looked at them in a list.
#[tokio::test]
async fn a_manager_listing_residents_shows_up_in_each_residents_export() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let export = |token: String| {
        let app = &app;
        async move {
            app.authed(Method::GET, "/api/v1/me/export", &token)
                .send()
                .await
                .unwrap()
                .json::<shared::accounts::MyDataExport>()
                .await
                .unwrap()
        }
    };
    assert!(
        export(w.tokens.resident.clone())
            .await
            .access_log
            .is_empty()
    );
    let list = app
        .authed(Method::GET, "/api/v1/manager/residents", &w.tokens.manager)
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let shown: Vec<shared::accounts::PersonDto> = list.json().await.unwrap();
    assert!(shown.iter().any(|p| p.id == w.resident_q1));
    let log = export(w.tokens.resident.clone()).await.access_log;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].action, "residents.list");
    assert_eq!(log[0].actor_id, Some(w.manager_a));
    assert_eq!(log[0].subject_user_id, Some(w.resident_q1));
}

// Item 10: the export holds everything stored about the person.
#[tokio::test]
async fn the_export_holds_dates_grants_reset_codes_and_invitations() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let export = |token: String| {
        let app = &app;
        async move {
            app.authed(Method::GET, "/api/v1/me/export", &token)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let issued = app
        .authed(
            Method::POST,
            &format!("/api/v1/manager/residents/{}/reset-code", w.resident_q1),
            &w.tokens.manager,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 201);
    let mine = export(w.tokens.resident.clone()).await;
    assert!(mine["created_at"].is_string(), "{mine}");
    assert!(mine["updated_at"].is_string(), "{mine}");
    assert_eq!(mine["role_grants"][0]["role"], "resident", "{mine}");
    assert!(mine["role_grants"][0]["granted_at"].is_string(), "{mine}");
    assert_eq!(
        mine["reset_codes"].as_array().map(Vec::len),
        Some(1),
        "{mine}"
    );
    assert_eq!(
        mine["reset_codes"][0]["issued_by"],
        json!(w.manager_a.to_string())
    );

    let invitation: shared::accounts::InvitationDto = app
        .authed(Method::POST, "/api/v1/admin/invitations", &w.tokens.admin)
        .json(
            &json!({"email": "neu@example.de", "display_name": "Nina Neu", "quarter_ids": [w.q2]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session: shared::SessionDto = app
        .post_json(
            "/api/v1/auth/invitations/accept",
            &json!({"code": invitation.code, "password": GOOD_PASSWORD,
                "accept_privacy_notice": true, "privacy_notice_version": crate::helpers::NOTICE}),
        )
        .await
        .json()
        .await
        .unwrap();
    let theirs = export(session.access_token).await;
    assert_eq!(
        theirs["invitations"].as_array().map(Vec::len),
        Some(1),
        "{theirs}"
    );
    assert_eq!(theirs["invitations"][0]["email"], "neu@example.de");
    assert!(
        theirs["invitations"][0]["accepted_at"].is_string(),
        "{theirs}"
    );
    assert_eq!(theirs["role_grants"][0]["role"], "manager", "{theirs}");
}

// Item 13: a deleted manager's address is kept neither in invitations nor in the audit log.
#[tokio::test]
async fn a_deleted_managers_address_leaves_invitations_and_the_audit_log() {
    use quartier::entities::{audit_entry, invitation};
    let app = spawn_app().await;
    let w = world(&app).await;
    let invitation: shared::accounts::InvitationDto = app
        .authed(Method::POST, "/api/v1/admin/invitations", &w.tokens.admin)
        .json(
            &json!({"email": "weg@example.de", "display_name": "Wanda Weg", "quarter_ids": [w.q1]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session: shared::SessionDto = app
        .post_json(
            "/api/v1/auth/invitations/accept",
            &json!({"code": invitation.code, "password": GOOD_PASSWORD,
                "accept_privacy_notice": true, "privacy_notice_version": crate::helpers::NOTICE}),
        )
        .await
        .json()
        .await
        .unwrap();
    let manager_id = session.user.id;
    let token = &session.access_token;
    let listed = app
        .authed(Method::GET, "/api/v1/manager/residents", token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let deleted = app
        .authed(Method::DELETE, "/api/v1/me", token)
        .json(&json!({"password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let conn = app.db.conn();
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq("weg@example.de"))
        .count(conn)
        .await
        .unwrap();
    assert_eq!(invitations, 0);
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::ActorId.eq(manager_id))
        .all(conn)
        .await
        .unwrap();
    assert!(!entries.is_empty(), "the audit keeps the access, by id");
    assert!(
        entries.iter().all(|e| e.actor_email.is_none()),
        "{entries:?}"
    );
}

// Item 19: a stored role, status or preference that names nothing is an error, never a
// default (before: an unknown role was dropped from the grants, an unknown survey status
// read as a draft, an unknown text size as normal).
#[tokio::test]
async fn stored_values_that_name_nothing_fail_instead_of_reading_as_a_default() {
    use quartier::entities::{role_grant, survey, user};
    use sea_orm::sea_query::Expr;

    let app = spawn_app().await;
    let w = world(&app).await;
    let conn = app.db.conn();
    let me = |token: String| {
        let request = app.authed(Method::GET, "/api/v1/me", &token);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(me(w.tokens.resident.clone()).await, 200);

    role_grant::Entity::update_many()
        .col_expr(role_grant::Column::Role, Expr::value("superuser"))
        .filter(role_grant::Column::UserId.eq(w.resident_q1))
        .exec(conn)
        .await
        .unwrap();
    assert_eq!(me(w.tokens.resident.clone()).await, 500, "unknown role");

    let session = app.register("neu@example.de").await;
    assert_eq!(me(session.access_token.clone()).await, 200);
    user::Entity::update_many()
        .col_expr(user::Column::TextSize, Expr::value("huge"))
        .filter(user::Column::Id.eq(session.user.id))
        .exec(conn)
        .await
        .unwrap();
    assert_eq!(me(session.access_token).await, 500, "unknown text size");

    let survey: shared::surveys::SurveyDto = crate::surveys::create(
        &app,
        &w.tokens.manager,
        &crate::surveys::template_request(vec![w.q1], crate::surveys::public_and_codes(), true),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!("/api/v1/surveys/{}", survey.id);
    let read = app.authed(Method::GET, &path, &w.tokens.manager);
    assert_eq!(read.send().await.unwrap().status(), 200);
    survey::Entity::update_many()
        .col_expr(survey::Column::Status, Expr::value("paused"))
        .filter(survey::Column::Id.eq(survey.id))
        .exec(conn)
        .await
        .unwrap();
    let read = app.authed(Method::GET, &path, &w.tokens.manager);
    assert_eq!(read.send().await.unwrap().status(), 500, "unknown status");
}
