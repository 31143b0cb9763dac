//! Bad input gets a clear problem, never a 500.

use shared::ErrorCode;

use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn unknown_api_route_is_a_404_problem() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/no/such/thing").await;
    assert_eq!(response.status(), 404);
    let p = problem(response).await;
    assert_eq!(p.code, ErrorCode::NotFound);
    assert_eq!(p.status, 404);
    assert_eq!(p.kind, "/api/v1/problems/not_found");
}

#[tokio::test]
async fn wrong_method_on_a_route_is_a_problem() {
    let app = spawn_app().await;
    let response = app
        .post_raw("/api/v1/openapi.json", "application/json", b"{}".to_vec())
        .await;
    // The route exists for GET: the answer is 405, not a 404 that any typo would get.
    assert_eq!(response.status(), 405);
    let p = problem(response).await;
    assert_eq!(p.code, ErrorCode::MethodNotAllowed);
    assert_eq!(p.status, 405);
}
