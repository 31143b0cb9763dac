//! Organisations' contact details: anyone reads them, only the organisation's own
//! admins change them, a bad field changes nothing. Runs on SQLite and PostgreSQL.

use reqwest::Method;
use serde_json::json;
use shared::accounts::AuditEntryDto;
use shared::contact::{OfficeContactDto, OfficeContactRequest};
use shared::surveys::Text;
use uuid::Uuid;

use crate::fixtures::{World, world};
use crate::helpers::{TestApp, problem, spawn_app};

fn office() -> OfficeContactRequest {
    OfficeContactRequest {
        office_name: "Stadtteilbüro Nord".into(),
        street: "Lindenweg 4".into(),
        address_extra: "im Bürgerhaus".into(),
        postcode: "12345".into(),
        city: "Musterstadt".into(),
        phone: "030 23125 456".into(),
        email: Some("buero@example.de".into()),
        opening_hours: Text::new("Mo–Do 9–12 Uhr", "Mon–Thu 9 am–12 noon"),
        legal_notice: "Stadt Musterstadt, Amt für Soziales".into(),
        legal_notice_url: Some("https://example.de/impressum".into()),
    }
}

async fn contacts(app: &TestApp, token: Option<&str>) -> Vec<OfficeContactDto> {
    let request = app.client.get(app.url("/api/v1/contacts"));
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// What an anonymous visitor reads for organisation `org`.
async fn contact_of(app: &TestApp, org: Uuid) -> OfficeContactDto {
    contacts(app, None)
        .await
        .into_iter()
        .find(|c| c.organisation_id == org)
        .expect("every organisation is listed")
}

async fn put(
    app: &TestApp,
    w: &World,
    token: Option<&str>,
    body: &impl serde::Serialize,
) -> reqwest::Response {
    let path = format!("/api/v1/organisations/{}/contact", w.org_a);
    let request = match token {
        Some(token) => app.authed(Method::PUT, &path, token),
        None => app.client.put(app.url(&path)),
    };
    request.json(body).send().await.unwrap()
}

#[tokio::test]
async fn anyone_reads_the_office_without_signing_in() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // Nothing filled in yet: the organisation's name, no number.
    let before = contact_of(&app, w.org_a).await;
    assert_eq!(before.office_name, "Stadtteilbüro A");
    assert_eq!(before.phone, "");
    assert_eq!(before.phone_uri, None);

    let saved = put(&app, &w, Some(&w.tokens.admin), &office()).await;
    assert_eq!(saved.status(), 200);

    let contact = contact_of(&app, w.org_a).await;
    assert_eq!(contact.office_name, "Stadtteilbüro Nord");
    assert_eq!(contact.phone, "030 23125 456");
    assert_eq!(contact.phone_uri.as_deref(), Some("tel:+493023125456"));
    assert_eq!(contact.opening_hours.en, "Mon–Thu 9 am–12 noon");
    assert_eq!(
        contact.legal_notice_url.as_deref(),
        Some("https://example.de/impressum")
    );
    // Anonymous visitors see every organisation's office; the other is untouched.
    let all = contacts(&app, None).await;
    assert_eq!(all.len(), 2);
    assert_eq!(contact_of(&app, w.org_b).await.office_name, "Wohnungsbau B");
}

#[tokio::test]
async fn signed_in_people_see_their_own_organisations_office() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (token, org) in [
        (&w.tokens.resident, w.org_a),
        (&w.tokens.manager, w.org_a),
        (&w.tokens.admin, w.org_a),
        (&w.tokens.admin_b, w.org_b),
    ] {
        let seen: Vec<Uuid> = contacts(&app, Some(token))
            .await
            .into_iter()
            .map(|c| c.organisation_id)
            .collect();
        assert_eq!(seen, vec![org]);
    }
    // Someone without a home quarter or role in an organisation sees them all.
    let session = app.register("ohne-quartier@example.de").await;
    assert_eq!(contacts(&app, Some(&session.access_token)).await.len(), 2);
}

#[tokio::test]
async fn only_the_organisations_own_admins_change_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let before = contact_of(&app, w.org_a).await;
    for (token, status) in [
        (None, 401),
        (Some(&w.tokens.resident), 403),
        (Some(&w.tokens.volunteer), 403),
        (Some(&w.tokens.manager), 403),
        (Some(&w.tokens.admin_b), 403),
    ] {
        let response = put(&app, &w, token.map(String::as_str), &office()).await;
        assert_eq!(response.status(), status, "{token:?}");
        let code = problem(response).await.code;
        assert!(matches!(
            code,
            shared::ErrorCode::Unauthenticated | shared::ErrorCode::Forbidden
        ));
        assert_eq!(contact_of(&app, w.org_a).await, before, "nothing changed");
    }

    let response = put(&app, &w, Some(&w.tokens.admin), &office()).await;
    assert_eq!(response.status(), 200);
    let saved: OfficeContactDto = response.json().await.unwrap();
    assert_eq!(saved, contact_of(&app, w.org_a).await);

    // The change is in the audit log of organisation A.
    let audit: Vec<AuditEntryDto> = app
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
            .any(|e| e.action == "organisation.contact.update"
                && e.actor_email.as_deref() == Some("a1@example.de")),
        "{audit:?}"
    );

    // Another admin cannot write into an organisation that does not exist either.
    let nowhere = format!("/api/v1/organisations/{}/contact", Uuid::now_v7());
    let response = app
        .authed(Method::PUT, &nowhere, &w.tokens.admin)
        .json(&office())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn bad_fields_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    assert_eq!(
        put(&app, &w, Some(&w.tokens.admin), &office())
            .await
            .status(),
        200
    );
    let before = contact_of(&app, w.org_a).await;

    let bad = OfficeContactRequest {
        office_name: "  ".into(),
        postcode: "1234".into(),
        phone: "ruf an".into(),
        email: Some("kein-at".into()),
        opening_hours: Text::new(&"x".repeat(1001), ""),
        legal_notice_url: Some("javascript:alert(1)".into()),
        ..office()
    };
    let response = put(&app, &w, Some(&w.tokens.admin), &bad).await;
    assert_eq!(response.status(), 400);
    let refused = problem(response).await;
    assert_eq!(refused.code, shared::ErrorCode::ValidationFailed);
    let fields: Vec<(&str, &str)> = refused
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("office_name", "required"),
            ("postcode", "invalid_postcode"),
            ("phone", "invalid_phone"),
            ("email", "invalid_email"),
            ("opening_hours.de", "too_long"),
            ("legal_notice_url", "invalid_url"),
        ]
    );
    assert_eq!(contact_of(&app, w.org_a).await, before, "nothing changed");

    // The office's number is what the page is for: it may not be left out.
    let response = put(
        &app,
        &w,
        Some(&w.tokens.admin),
        &json!({"office_name": "Büro"}),
    )
    .await;
    assert_eq!(response.status(), 400);
    let response = put(
        &app,
        &w,
        Some(&w.tokens.admin),
        &json!({"office_name": "Büro", "phone": ""}),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(problem(response).await.errors[0].field, "phone");
    assert_eq!(contact_of(&app, w.org_a).await, before, "nothing changed");

    // Optional parts may be empty; an empty English text means the German one is shown.
    let minimal = json!({"office_name": " Büro Nord ", "phone": "(030) 23125-456", "email": "", "legal_notice_url": " "});
    let response = put(&app, &w, Some(&w.tokens.admin), &minimal).await;
    assert_eq!(response.status(), 200);
    let contact = contact_of(&app, w.org_a).await;
    assert_eq!(contact.office_name, "Büro Nord");
    assert_eq!(contact.street, "");
    assert_eq!(contact.email, None);
    assert_eq!(contact.legal_notice_url, None);
    assert_eq!(contact.phone_uri.as_deref(), Some("tel:+493023125456"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_contact_endpoints() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/contacts"]["get"].is_object());
    let put = &doc["paths"]["/api/v1/organisations/{id}/contact"]["put"];
    assert!(put.is_object(), "{put}");
    assert!(put["responses"]["403"].is_object());
    for schema in ["OfficeContactDto", "OfficeContactRequest"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}
