use serde::{Deserialize, Serialize};

/// Overall state reported by `GET /api/v1/health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// The database answered and every migration is applied.
    Ok,
    /// The server runs but the database did not answer.
    Degraded,
}

/// Which database engine the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// Body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthDto {
    pub status: HealthStatus,
    /// Version of the server binary.
    pub version: String,
    pub database: DatabaseKind,
    /// Name of the newest applied migration, if any.
    pub migration: Option<String>,
    /// Number of applied migrations.
    pub migrations_applied: u32,
    /// Number of migrations the binary knows.
    pub migrations_known: u32,
}
