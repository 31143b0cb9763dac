//! Sign-up, sign-in, sessions and tokens.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use shared::{ErrorCode, SessionDto};

use crate::helpers::{GOOD_PASSWORD, problem, refresh_cookie, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_resident_registers_and_is_signed_in() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &app.register_request("Erna@Example.de"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let cookie = refresh_cookie(&response).expect("refresh cookie set");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    assert!(cookie.contains("Path=/api/v1/auth"));
    let session: SessionDto = response.json().await.unwrap();
    assert_eq!(session.user.email, "erna@example.de");
    assert!(session.user.has_role(shared::Role::Resident));
    assert!(!session.user.has_role(shared::Role::Volunteer));
    assert!(session.expires_in <= 15 * 60);

    let me = app
        .authed(Method::GET, "/api/v1/me", &session.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: shared::MeDto = me.json().await.unwrap();
    assert_eq!(me.consent_version, crate::helpers::NOTICE);
}

#[tokio::test]
async fn registration_rejects_bad_input_and_changes_nothing() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Box<dyn Fn(&mut shared::accounts::RegisterRequest)>)> = vec![
        ("email", Box::new(|r| r.email = "not-an-email".into())),
        ("password", Box::new(|r| r.password = "kurz".into())),
        ("password", Box::new(|r| r.password = "password123".into())),
        ("display_name", Box::new(|r| r.display_name = "   ".into())),
        (
            "accept_privacy_notice",
            Box::new(|r| r.accept_privacy_notice = false),
        ),
        (
            "privacy_notice_version",
            Box::new(|r| r.privacy_notice_version = "1999".into()),
        ),
    ];
    for (field, mutate) in cases {
        let mut request = app.register_request("erna@example.de");
        mutate(&mut request);
        let response = app.post_json("/api/v1/auth/register", &request).await;
        assert_eq!(response.status(), 400, "{field}");
        let p = problem(response).await;
        assert_eq!(p.code, ErrorCode::ValidationFailed);
        assert!(
            p.errors.iter().any(|e| e.field == field),
            "{field}: {:?}",
            p.errors
        );
    }
    // Nothing was stored: the address is still free.
    app.register("erna@example.de").await;
}

#[tokio::test]
async fn a_second_registration_with_the_same_email_is_a_conflict() {
    let app = spawn_app().await;
    app.register("erna@example.de").await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &app.register_request("ERNA@example.de"),
        )
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(problem(response).await.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_and_oversized_a_413() {
    let app = spawn_app().await;
    let response = app
        .post_raw(
            "/api/v1/auth/login",
            "application/json",
            b"{\"email\": ".to_vec(),
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(problem(response).await.code, ErrorCode::MalformedBody);

    let wrong_shape = app
        .post_raw(
            "/api/v1/auth/login",
            "application/json",
            b"{\"email\": 5}".to_vec(),
        )
        .await;
    assert_eq!(wrong_shape.status(), 400);

    let huge = vec![b' '; 300 * 1024];
    let response = app
        .post_raw("/api/v1/auth/login", "application/json", huge)
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(problem(response).await.code, ErrorCode::PayloadTooLarge);

    let response = app
        .post_raw("/api/v1/auth/login", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(response.status(), 415);
}

#[tokio::test]
async fn login_succeeds_with_the_right_password_only() {
    let app = spawn_app().await;
    app.register("erna@example.de").await;
    let ok = app.login(" ERNA@example.de ", GOOD_PASSWORD).await;
    assert_eq!(ok.status(), 200);
    assert!(refresh_cookie(&ok).is_some());

    let wrong = app.login("erna@example.de", "Apfelbaum-Lindenweg-43").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(problem(wrong).await.code, ErrorCode::Unauthenticated);
    let unknown = app.login("nobody@example.de", GOOD_PASSWORD).await;
    assert_eq!(unknown.status(), 401);
}

#[tokio::test]
async fn too_many_login_attempts_get_429_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.limits = quartier::auth::limits::LimitSettings {
            per_ip_per_minute: 100,
            per_account_per_minute: 3,
        }
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            app.login("erna@example.de", "falsch-falsch-1")
                .await
                .status(),
            401
        );
    }
    let limited = app.login("erna@example.de", "falsch-falsch-1").await;
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert_eq!(problem(limited).await.code, ErrorCode::RateLimited);
    // Another account from the same address is not blocked by this one's limit.
    assert_eq!(
        app.login("other@example.de", "falsch-falsch-1")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    app.register("erna@example.de").await;
    // The client's cookie jar holds the first refresh token; keep a copy of it.
    let login = app.login("erna@example.de", GOOD_PASSWORD).await;
    let first = refresh_cookie(&login).unwrap();
    let first_value = first.split(';').next().unwrap().to_owned();

    let rotated = app.post_with_cookie("/api/v1/auth/refresh").await;
    assert_eq!(rotated.status(), 200);
    let second = refresh_cookie(&rotated).unwrap();
    assert_ne!(first, second);
    let session: SessionDto = rotated.json().await.unwrap();
    assert_eq!(session.user.email, "erna@example.de");

    // Someone replays the first (already used) token: the whole family ends.
    let attacker = reqwest::Client::new();
    let replay = attacker
        .post(app.url("/api/v1/auth/refresh"))
        .header("x-quartier-csrf", "1")
        .header("cookie", &first_value)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
    // ...including the legitimate client's current token.
    let after = app.post_with_cookie("/api/v1/auth/refresh").await;
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn refresh_needs_the_csrf_header() {
    let app = spawn_app().await;
    app.register("erna@example.de").await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // The session is still usable with the header.
    assert_eq!(
        app.post_with_cookie("/api/v1/auth/refresh").await.status(),
        200
    );
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    app.register("erna@example.de").await;
    let login = app.login("erna@example.de", GOOD_PASSWORD).await;
    let cookie = refresh_cookie(&login).unwrap();
    let value = cookie.split(';').next().unwrap().to_owned();
    let out = app.post_with_cookie("/api/v1/auth/logout").await;
    assert_eq!(out.status(), 204);
    // The cookie is cleared in the jar: no session to restore.
    let refresh = app.post_with_cookie("/api/v1/auth/refresh").await;
    assert_eq!(refresh.status(), 204);
    assert!(refresh_cookie(&refresh).is_none());
    // Replaying the old one fails.
    let replay = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .header("x-quartier-csrf", "1")
        .header("cookie", value)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
}

fn forge(claims: serde_json::Value, alg: Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn tampered_expired_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let session = app.register("erna@example.de").await;
    let secret = b"test-secret-test-secret-test-secret-0123";
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = |exp: i64, iss: &str, aud: &str| serde_json::json!({"sub": session.user.id, "iat": now - 10, "exp": exp, "iss": iss, "aud": aud});
    let good = forge(
        claims(now + 300, "quartier", "quartier-api"),
        Algorithm::HS256,
        secret,
    );
    let mut tampered = session.access_token.clone();
    tampered.pop();
    tampered.push(if session.access_token.ends_with('A') {
        'B'
    } else {
        'A'
    });
    let alg_none = {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(claims(now + 300, "quartier", "quartier-api").to_string())
        )
    };
    let cases = [
        ("the server's own token", session.access_token.clone(), 200),
        ("a correctly forged token (sanity check)", good, 200),
        ("tampered signature", tampered, 401),
        (
            "expired",
            forge(
                claims(now - 120, "quartier", "quartier-api"),
                Algorithm::HS256,
                secret,
            ),
            401,
        ),
        (
            "wrong issuer",
            forge(
                claims(now + 300, "evil", "quartier-api"),
                Algorithm::HS256,
                secret,
            ),
            401,
        ),
        (
            "wrong audience",
            forge(
                claims(now + 300, "quartier", "other"),
                Algorithm::HS256,
                secret,
            ),
            401,
        ),
        (
            "wrong algorithm",
            forge(
                claims(now + 300, "quartier", "quartier-api"),
                Algorithm::HS512,
                secret,
            ),
            401,
        ),
        ("alg none", alg_none, 401),
        (
            "wrong secret",
            forge(
                claims(now + 300, "quartier", "quartier-api"),
                Algorithm::HS256,
                b"another-secret-another-secret-000",
            ),
            401,
        ),
        ("garbage", "garbage".into(), 401),
    ];
    for (name, token, expected) in cases {
        let status = app
            .authed(Method::GET, "/api/v1/me", &token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, expected, "{name}");
    }
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_stay_signed_in_within_the_grace_period() {
    let app = spawn_app_with(|s| s.refresh_grace_secs = 30).await;
    app.register("erna@example.de").await;
    let login = app.login("erna@example.de", GOOD_PASSWORD).await;
    let cookie = refresh_cookie(&login).unwrap();
    let value = cookie.split(';').next().unwrap().to_owned();
    // Both tabs hold the same cookie and refresh at the same moment.
    let tab = || {
        let client = reqwest::Client::new();
        let url = app.url("/api/v1/auth/refresh");
        let value = value.clone();
        async move {
            client
                .post(url)
                .header("x-quartier-csrf", "1")
                .header("cookie", value)
                .send()
                .await
                .unwrap()
        }
    };
    let (a, b) = tokio::join!(tab(), tab());
    assert_eq!(a.status(), 200);
    assert_eq!(b.status(), 200);
    let (a, b) = (refresh_cookie(&a).unwrap(), refresh_cookie(&b).unwrap());
    assert_eq!(
        a, b,
        "both tabs get the same successor: one session, not two"
    );
}
