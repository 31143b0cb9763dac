#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

//! API integration tests: each test starts the real `Application` on port 0 with a
//! fresh database — SQLite by default, PostgreSQL when `QUARTIER_TEST_PG_URL` is set.

mod auth;
mod authz;
mod contact;
mod contract;
mod db;
mod errors;
mod fixtures;
mod hardening;
mod health;
mod help;
mod help_jobs;
mod help_survey;
mod helpers;
mod me;
mod surveys;
mod web;
