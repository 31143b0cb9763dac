//! `GET /api/v1/health`: liveness, version, database kind and migration level.

use actix_web::{HttpResponse, get, web};
use shared::{HealthDto, HealthStatus};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::startup::AppState;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health);
}

/// Reports whether the server and its database work. Answers 503 when the
/// database does not, so a load balancer takes the instance out of rotation.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Server and database work", body = HealthDto),
        (status = 503, description = "The database does not answer", body = HealthDto),
    )
)]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let db = &state.db;
    let (status, (migration, applied, known)) = match db.migration_level().await {
        Ok(level) => (HealthStatus::Ok, level),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database did not answer");
            (HealthStatus::Degraded, (None, 0, 0))
        }
    };
    let body = HealthDto {
        status,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: db.kind(),
        migration,
        migrations_applied: applied,
        migrations_known: known,
    };
    match status {
        HealthStatus::Ok => HttpResponse::Ok().json(body),
        HealthStatus::Degraded => HttpResponse::ServiceUnavailable().json(body),
    }
}
