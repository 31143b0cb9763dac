//! API integration tests: each test starts the real `Application` on port 0 with a
//! fresh database — SQLite by default, PostgreSQL when `QUARTIER_TEST_PG_URL` is set.

mod auth;
mod db;
mod errors;
mod health;
mod helpers;
mod web;
