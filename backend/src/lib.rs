//! Quartier's server: the JSON API under `/api/v1` and the compiled web app.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod config;
pub mod contact;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod health;
pub mod help;
pub mod maintenance;
pub mod openapi;
pub mod problems;
pub mod quarters;
pub mod scope;
pub mod startup;
pub mod surveys;
pub mod telemetry;
pub mod web;

/// The server's memory allocator, for its binary, tests and benches alike: mimalloc.
/// glibc's malloc took about a tenth of the ingest bench's CPU (`malloc_consolidate`,
/// `_int_free` across the request workers and the response writer); see ARCHITECTURE.md,
/// "Each wake-up of the writer is cheap".
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
