//! The user's own account: profile, password, export, deletion; and the two ways
//! staff help people in: invitations and reset codes.

use reqwest::Method;
use serde_json::json;
use shared::accounts::{InvitationDto, MyDataExport, ResetCodeDto};
use shared::{ErrorCode, MeDto, SessionDto, TextSize};

use crate::fixtures::world;
use crate::helpers::{GOOD_PASSWORD, NOTICE, problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn profile_changes_are_kept_and_bad_ones_refused() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let session = app.register("erna@example.de").await;
    let token = &session.access_token;
    let update = json!({"display_name": "Erna S.", "language": "en", "text_size": "extra_large",
        "home_quarter_id": w.q2, "age_band": "from_75_to_84", "phone": "0351 123456"});
    let response = app
        .authed(Method::PATCH, "/api/v1/me", token)
        .json(&update)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    let me: MeDto = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(me.display_name, "Erna S.");
    assert_eq!(me.language, shared::Language::En);
    assert_eq!(me.text_size, TextSize::ExtraLarge);
    assert_eq!(me.home_quarter_id, Some(w.q2));
    assert_eq!(me.age_band, Some(shared::AgeBand::From75To84));

    for (body, field) in [
        (
            json!({"home_quarter_id": uuid::Uuid::new_v4()}),
            "home_quarter_id",
        ),
        (json!({"display_name": ""}), "display_name"),
        (json!({"phone": "call me maybe"}), "phone"),
    ] {
        let response = app
            .authed(Method::PATCH, "/api/v1/me", token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(problem(response).await.errors[0].field, field);
    }
    let unchanged: MeDto = app
        .authed(Method::GET, "/api/v1/me", token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged.home_quarter_id, Some(w.q2));
    assert_eq!(unchanged.display_name, "Erna S.");

    // Clearing with null.
    let cleared: MeDto = app
        .authed(Method::PATCH, "/api/v1/me", token)
        .json(&json!({"home_quarter_id": null, "age_band": null}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared.home_quarter_id, None);
    assert_eq!(cleared.age_band, None);
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = spawn_app().await;
    let session = app.register("erna@example.de").await;
    // A second device.
    let other = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = other
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "erna@example.de", "password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);

    let wrong = app
        .authed(Method::POST, "/api/v1/me/password", &session.access_token)
        .json(&json!({"current_password": "nicht-das-richtige", "new_password": "Birnbaum-Ahornweg-77"}))
        .send().await.unwrap();
    assert_eq!(wrong.status(), 400);
    let changed = app
        .authed(Method::POST, "/api/v1/me/password", &session.access_token)
        .json(&json!({"current_password": GOOD_PASSWORD, "new_password": "Birnbaum-Ahornweg-77"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let _: SessionDto = changed.json().await.unwrap();

    assert_eq!(
        app.login("erna@example.de", GOOD_PASSWORD).await.status(),
        401
    );
    assert_eq!(
        app.login("erna@example.de", "Birnbaum-Ahornweg-77")
            .await
            .status(),
        200
    );
    let other_refresh = other
        .post(app.url("/api/v1/auth/refresh"))
        .header("x-quartier-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        other_refresh.status(),
        401,
        "the other device's session should have ended"
    );
}

#[tokio::test]
async fn export_holds_the_account_sessions_and_who_accessed_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // The manager issues a reset code for resident_q1: an access to personal data.
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
    let export = app
        .authed(Method::GET, "/api/v1/me/export", &w.tokens.resident)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data: MyDataExport = export.json().await.unwrap();
    assert_eq!(data.account.id, w.resident_q1);
    assert_eq!(data.account.email, "r1@example.de");
    assert!(
        data.access_log
            .iter()
            .any(|e| e.action == "reset_code.issue" && e.actor_id == Some(w.manager_a))
    );
}

#[tokio::test]
async fn deleting_the_account_needs_the_password_and_removes_it() {
    let app = spawn_app().await;
    let session = app.register("erna@example.de").await;
    let token = &session.access_token;
    let wrong = app
        .authed(Method::DELETE, "/api/v1/me", token)
        .json(&json!({"password": "falsch-falsch-falsch"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let deleted = app
        .authed(Method::DELETE, "/api/v1/me", token)
        .json(&json!({"password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        app.login("erna@example.de", GOOD_PASSWORD).await.status(),
        401
    );
    // The address is free again.
    app.register("erna@example.de").await;
}

#[tokio::test]
async fn the_last_admin_cannot_delete_their_account() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let response = app
        .authed(Method::DELETE, "/api/v1/me", &w.tokens.admin)
        .json(&json!({"password": GOOD_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &w.tokens.admin)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_reset_code_works_once_and_ends_old_sessions() {
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
    assert_eq!(code.code.len(), 9, "four, a dash, four: {}", code.code);
    assert!(
        code.code
            .chars()
            .all(|c| c == '-' || !"0O1IL5S8B2Z".contains(c))
    );

    let reset = |code: String, password: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/reset-password",
                &json!({"email": "r1@example.de", "code": code, "new_password": password}),
            )
            .await
        }
    };
    let wrong = reset("AAAA-AAAA".into(), "Kastanie-Rosenweg-12").await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(problem(wrong).await.errors[0].code, "invalid_code");
    // Typed in lower case with a space: still accepted.
    let typed = code.code.to_lowercase().replace('-', " ");
    assert_eq!(
        reset(typed.clone(), "Kastanie-Rosenweg-12").await.status(),
        204
    );
    assert_eq!(
        app.login("r1@example.de", "Kastanie-Rosenweg-12")
            .await
            .status(),
        200
    );
    assert_eq!(
        reset(typed, "Holunder-Fichtenweg-34").await.status(),
        400,
        "a code works once"
    );
}

#[tokio::test]
async fn an_invited_manager_sets_a_password_and_manages_the_quarters() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let invitation: InvitationDto = app
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
    // Short enough to read out on the phone: ABCD-EFGH, no look-alikes; the link holds it.
    assert_eq!(
        invitation.code.len(),
        9,
        "four, a dash, four: {}",
        invitation.code
    );
    assert_eq!(invitation.code.as_bytes()[4], b'-');
    assert!(
        invitation
            .code
            .chars()
            .all(|c| c == '-' || "ACDEFGHJKMNPQRTUVWXY34679".contains(c)),
        "{}",
        invitation.code
    );
    assert_eq!(invitation.path, format!("/invitation/{}", invitation.code));
    let accept = |code: String| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/invitations/accept",
                &json!({"code": code,
                "password": "Wacholder-Eibenweg-56", "accept_privacy_notice": true,
                "privacy_notice_version": NOTICE}),
            )
            .await
        }
    };
    let wrong = accept("AAAA-AAAA".into()).await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        wrong.headers()["content-type"],
        "application/problem+json",
        "a clear problem, not a bare status"
    );
    let wrong = problem(wrong).await;
    assert_eq!(wrong.code, ErrorCode::ValidationFailed);
    assert_eq!(wrong.errors[0].field, "code");
    assert_eq!(wrong.errors[0].code, "invalid_code");
    // Typed as heard on the phone: lower case, without the dash.
    let typed = invitation.code.to_lowercase().replace('-', "");
    let accepted = accept(typed).await;
    assert_eq!(accepted.status(), 201);
    let session: SessionDto = accepted.json().await.unwrap();
    assert_eq!(session.user.email, "neu@example.de");
    assert!(
        session
            .user
            .roles
            .iter()
            .any(|g| g.role == shared::Role::Manager && g.quarter_id == Some(w.q2))
    );
    let second = accept(invitation.code).await;
    assert_eq!(second.status(), 400);
    assert_eq!(problem(second).await.code, ErrorCode::ValidationFailed);
}

#[tokio::test]
async fn guessing_invitation_codes_is_rate_limited() {
    let app = spawn_app_with(|s| {
        s.limits = quartier::auth::limits::LimitSettings {
            per_ip_per_minute: 3,
            per_account_per_minute: 100,
        }
    })
    .await;
    let body = json!({"code": "AAAA-AAAA", "password": "Wacholder-Eibenweg-56",
        "accept_privacy_notice": true, "privacy_notice_version": NOTICE});
    let guess = || app.post_json("/api/v1/auth/invitations/accept", &body);
    for _ in 0..3 {
        assert_eq!(guess().await.status(), 400);
    }
    let limited = guess().await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(problem(limited).await.code, ErrorCode::RateLimited);
}

/// Registration says the volunteer choice can be changed later: a resident switches it
/// on and off in the profile; staff accounts cannot; each change is in the audit log.
#[tokio::test]
async fn residents_start_and_stop_volunteering_in_their_profile() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let patch = |token: &str, body: serde_json::Value| {
        let request = app.authed(Method::PATCH, "/api/v1/me", token).json(&body);
        async move { request.send().await.unwrap() }
    };
    let is_volunteer = |me: &MeDto| me.has_role(shared::Role::Volunteer);

    // A resident starts: the role is returned at once and kept.
    let started = patch(&w.tokens.resident, json!({"volunteer": true})).await;
    assert_eq!(started.status(), 200);
    let started: MeDto = started.json().await.unwrap();
    assert!(is_volunteer(&started));
    assert!(started.has_role(shared::Role::Resident), "still a resident");
    // Saying it twice changes nothing.
    let again: MeDto = patch(&w.tokens.resident, json!({"volunteer": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again
            .roles
            .iter()
            .filter(|g| g.role == shared::Role::Volunteer)
            .count(),
        1
    );

    // A volunteer with an offer stops: no role, and the offer is paused.
    let offer = json!({"categories": ["shopping"], "availability": [{"weekday": "monday",
        "from_minute": 540, "to_minute": 720}], "quarter_ids": [w.q1],
        "max_tasks_per_week": 2, "paused": false, "about": ""});
    let saved = app
        .authed(Method::PUT, "/api/v1/me/offer", &w.tokens.volunteer)
        .json(&offer)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let stopped: MeDto = patch(&w.tokens.volunteer, json!({"volunteer": false}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!is_volunteer(&stopped));
    assert!(stopped.has_role(shared::Role::Resident));
    let me: MeDto = app
        .authed(Method::GET, "/api/v1/me", &w.tokens.volunteer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!is_volunteer(&me), "kept");
    let paused: serde_json::Value = app
        .authed(Method::GET, "/api/v1/me/offer", &w.tokens.volunteer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(paused["paused"], true, "no more suggestions: {paused}");

    // Staff accounts are not residents of a quarter: refused, nothing changes.
    for token in [&w.tokens.manager, &w.tokens.admin] {
        let refused = patch(token, json!({"volunteer": true, "display_name": "Neu"})).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(problem(refused).await.code, ErrorCode::Forbidden);
        let me: MeDto = app
            .authed(Method::GET, "/api/v1/me", token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(!is_volunteer(&me));
        assert_ne!(me.display_name, "Neu", "the whole change is refused");
    }

    // The office of the resident's quarter sees each change in its audit log.
    let log: Vec<shared::accounts::AuditEntryDto> = app
        .authed(Method::GET, "/api/v1/admin/audit", &w.tokens.admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<_> = log
        .iter()
        .filter(|e| e.action.starts_with("volunteer."))
        .map(|e| (e.action.as_str(), e.subject_user_id))
        .collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(actions.contains(&("volunteer.start", Some(w.resident_q1))));
    assert!(
        actions
            .iter()
            .any(|(action, _)| *action == "volunteer.stop")
    );
}

#[tokio::test]
async fn quarter_figures_are_validated_and_names_unique() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let bad = app.authed(Method::POST, "/api/v1/quarters", &w.tokens.admin)
        .json(&json!({"name": "Ost", "population": {"total": 10, "under_50": 20, "from_50_to_64": 0, "from_65_to_74": 0, "from_75_to_84": 0, "from_85": 0}}))
        .send().await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(problem(bad).await.errors[0].code, "bands_exceed_total");
    let dup = app
        .authed(Method::POST, "/api/v1/quarters", &w.tokens.admin)
        .json(&json!({"name": "Nord"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 409);
    let list: Vec<shared::quarters::QuarterDto> =
        app.get("/api/v1/quarters").await.json().await.unwrap();
    assert_eq!(list.len(), 3, "nothing was added by the refused requests");
}
