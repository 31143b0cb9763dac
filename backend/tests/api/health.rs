use shared::{DatabaseKind, HealthDto, HealthStatus};

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_version_database_and_migration_level() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), 200);
    let health: HealthDto = response.json().await.unwrap();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    let expected = if std::env::var("QUARTIER_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        DatabaseKind::Postgres
    } else {
        DatabaseKind::Sqlite
    };
    assert_eq!(health.database, expected);
    assert!(health.migrations_applied >= 1);
    assert_eq!(health.migrations_applied, health.migrations_known);
    assert!(health.migration.unwrap().starts_with('m'));
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/health"]["get"].is_object());
    assert!(doc["components"]["schemas"]["HealthDto"].is_object());

    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("GET /api/v1/health"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/health",
        "/api/v1/nothing-here",
        "/some/client/route",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("'unsafe-eval'"), "{path}");
        assert!(!csp.contains("'unsafe-inline'"), "{path}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "no-referrer");
    }
}
