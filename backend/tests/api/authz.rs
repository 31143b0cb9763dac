//! The authorization matrix: every endpoint × every role × own/other quarter, with the
//! status a user of that role must get. Runs on SQLite and PostgreSQL.

use reqwest::Method;
use serde_json::json;

use crate::fixtures::world;
use crate::helpers::spawn_app;

/// Who asks. `Anonymous` sends no token.
#[derive(Debug, Clone, Copy)]
enum Who {
    Anonymous,
    Resident,
    Volunteer,
    /// Manager of q1 (organisation A).
    Manager,
    /// Admin of organisation A.
    Admin,
    /// Admin of organisation B.
    AdminB,
}

use Who::*;
const EVERYONE: [Who; 6] = [Anonymous, Resident, Volunteer, Manager, Admin, AdminB];

#[tokio::test]
async fn every_endpoint_answers_each_role_as_specified() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let quarter_body = |name: &str| json!({"name": name, "population": {"total": 10, "under_50": 5, "from_50_to_64": 1, "from_65_to_74": 1, "from_75_to_84": 1, "from_85": 1}});
    let invite = |q: uuid::Uuid| json!({"email": format!("new-{}@example.de", uuid::Uuid::new_v4().simple()), "display_name": "Neu", "quarter_ids": [q]});

    // (method, path, body, expected status for [Anonymous, Resident, Volunteer, Manager, Admin, AdminB])
    let matrix: Vec<(
        Method,
        String,
        Option<Box<dyn Fn() -> serde_json::Value>>,
        [u16; 6],
    )> = vec![
        (
            Method::GET,
            "/api/v1/health".into(),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/me".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/me/export".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::PATCH,
            "/api/v1/me".into(),
            Some(Box::new(|| json!({"text_size": "large"}))),
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/quarters".into(),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/quarters/{}", w.q1),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/quarters".into(),
            Some(Box::new(move || {
                quarter_body(&format!("Neu {}", uuid::Uuid::new_v4()))
            })),
            [401, 403, 403, 403, 201, 201],
        ),
        (
            Method::GET,
            "/api/v1/contacts".into(),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        // Organisation A's office: its admins only.
        (
            Method::PUT,
            format!("/api/v1/organisations/{}/contact", w.org_a),
            Some(Box::new(
                || json!({"office_name": "Büro A", "phone": "030 23125 000"}),
            )),
            [401, 403, 403, 403, 200, 403],
        ),
        // Own quarter of the manager, organisation A.
        (
            Method::PUT,
            format!("/api/v1/quarters/{}", w.q1),
            Some(Box::new(move || quarter_body("Nord"))),
            [401, 403, 403, 200, 200, 403],
        ),
        // Other quarter of organisation A: not the manager's.
        (
            Method::PUT,
            format!("/api/v1/quarters/{}", w.q2),
            Some(Box::new(move || quarter_body("Süd"))),
            [401, 403, 403, 403, 200, 403],
        ),
        // Quarter of organisation B.
        (
            Method::PUT,
            format!("/api/v1/quarters/{}", w.q3),
            Some(Box::new(move || quarter_body("West"))),
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/manager/residents".into(),
            None,
            [401, 403, 403, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/manager/residents?quarter_id={}", w.q1),
            None,
            [401, 403, 403, 200, 200, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/manager/residents?quarter_id={}", w.q2),
            None,
            [401, 403, 403, 404, 200, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/manager/residents/{}/reset-code", w.resident_q1),
            None,
            [401, 403, 403, 201, 201, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/manager/residents/{}/reset-code", w.resident_q2),
            None,
            [401, 403, 403, 404, 201, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/manager/residents/{}/reset-code", w.resident_q3),
            None,
            [401, 403, 403, 404, 404, 201],
        ),
        // Staff accounts never get reset codes from managers.
        (
            Method::POST,
            format!("/api/v1/manager/residents/{}/reset-code", w.manager_a),
            None,
            [401, 403, 403, 404, 404, 404],
        ),
        // Staff living in the manager's own quarter are no more visible than staff elsewhere.
        (
            Method::POST,
            format!("/api/v1/manager/residents/{}/reset-code", w.staff_in_q1),
            None,
            [401, 403, 403, 404, 404, 404],
        ),
        (
            Method::GET,
            "/api/v1/admin/managers".into(),
            None,
            [401, 403, 403, 403, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/admin/invitations".into(),
            Some(Box::new(move || invite(w.q1))),
            [401, 403, 403, 403, 201, 403],
        ),
        (
            Method::POST,
            "/api/v1/admin/invitations".into(),
            Some(Box::new(move || invite(w.q3))),
            [401, 403, 403, 403, 403, 201],
        ),
        (
            Method::GET,
            "/api/v1/admin/audit".into(),
            None,
            [401, 403, 403, 403, 200, 200],
        ),
    ];

    let mut failures = Vec::new();
    for (method, path, body, expected) in &matrix {
        for (who, want) in EVERYONE.iter().zip(expected) {
            let token = match who {
                Anonymous => None,
                Resident => Some(&w.tokens.resident),
                Volunteer => Some(&w.tokens.volunteer),
                Manager => Some(&w.tokens.manager),
                Admin => Some(&w.tokens.admin),
                AdminB => Some(&w.tokens.admin_b),
            };
            let mut request = app.client.request(method.clone(), app.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(&body());
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            if status != *want {
                failures.push(format!(
                    "{method} {path} as {who:?}: got {status}, want {want}"
                ));
            } else if status >= 400 {
                // A refusal is a problem whose code says the same as the status.
                let problem = crate::helpers::problem(response).await;
                if problem.code.status() != status || problem.status != status {
                    failures.push(format!(
                        "{method} {path} as {who:?}: {status} with code {:?}",
                        problem.code
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
    let _ = (w.org_a, w.org_b);
}

/// The one rule (ARCHITECTURE.md, "404 for what one may not see"): what lies outside
/// one's scope answers exactly as what does not exist, status and body, so neither a
/// foreign quarter's residents nor a staff account can be told apart from nothing.
#[tokio::test]
async fn out_of_scope_answers_exactly_like_missing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let nobody = uuid::Uuid::new_v4();
    let residents = |q: uuid::Uuid| format!("/api/v1/manager/residents?quarter_id={q}");
    let reset = |u: uuid::Uuid| format!("/api/v1/manager/residents/{u}/reset-code");
    // (who, method, path out of scope, the same path naming nothing)
    let cases = [
        (
            "manager",
            &w.tokens.manager,
            Method::GET,
            residents(w.q2),
            residents(nobody),
        ),
        (
            "manager",
            &w.tokens.manager,
            Method::GET,
            residents(w.q3),
            residents(nobody),
        ),
        (
            "admin B",
            &w.tokens.admin_b,
            Method::GET,
            residents(w.q1),
            residents(nobody),
        ),
        (
            "manager",
            &w.tokens.manager,
            Method::POST,
            reset(w.resident_q2),
            reset(nobody),
        ),
        (
            "manager",
            &w.tokens.manager,
            Method::POST,
            reset(w.resident_q3),
            reset(nobody),
        ),
        (
            "manager",
            &w.tokens.manager,
            Method::POST,
            reset(w.staff_in_q1),
            reset(nobody),
        ),
        (
            "admin",
            &w.tokens.admin,
            Method::POST,
            reset(w.staff_in_q1),
            reset(nobody),
        ),
        (
            "admin",
            &w.tokens.admin,
            Method::POST,
            reset(w.resident_q3),
            reset(nobody),
        ),
        (
            "admin B",
            &w.tokens.admin_b,
            Method::POST,
            reset(w.resident_q1),
            reset(nobody),
        ),
    ];
    let answer = |token: &String, method: &Method, path: &str| {
        let request = app.authed(method.clone(), path, token);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let kind = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, kind, response.text().await.unwrap())
        }
    };
    for (who, token, method, foreign, missing) in &cases {
        let seen = answer(token, method, foreign).await;
        let nothing = answer(token, method, missing).await;
        assert_eq!(seen.0, 404, "{who}: {method} {foreign} answered {seen:?}");
        assert_eq!(
            seen, nothing,
            "{who}: {method} {foreign} is told apart from {missing}"
        );
    }
    let problem: shared::Problem = serde_json::from_str(
        &answer(&w.tokens.manager, &Method::GET, &residents(w.q2))
            .await
            .2,
    )
    .unwrap();
    assert_eq!(problem.code, shared::ErrorCode::NotFound);
    // Nothing was issued: the staff member's export lists no reset code.
    let export: serde_json::Value = app
        .authed(Method::GET, "/api/v1/me/export", &w.tokens.staff_in_q1)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(export["reset_codes"], serde_json::json!([]), "{export}");
}

#[tokio::test]
async fn a_manager_sees_only_residents_of_their_quarters_and_access_is_logged() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let residents: Vec<shared::accounts::PersonDto> = app
        .authed(Method::GET, "/api/v1/manager/residents", &w.tokens.manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<_> = residents.iter().map(|p| p.id).collect();
    assert!(ids.contains(&w.resident_q1));
    assert!(
        !ids.contains(&w.resident_q2),
        "resident of another quarter leaked"
    );
    assert!(
        !ids.contains(&w.resident_q3),
        "resident of another organisation leaked"
    );

    let audit: Vec<shared::accounts::AuditEntryDto> = app
        .authed(Method::GET, "/api/v1/admin/audit", &w.tokens.admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "residents.list" && e.actor_id == Some(w.manager_a))
    );
    // Organisation B's admin does not see organisation A's log.
    let audit_b: Vec<shared::accounts::AuditEntryDto> = app
        .authed(Method::GET, "/api/v1/admin/audit", &w.tokens.admin_b)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit_b.iter().all(|e| e.actor_id != Some(w.manager_a)));
}
