//! Neighbourly help: volunteers' offers and their verification by managers, requests
//! for help, the matcher's suggestions for them, and each request's workflow.

pub mod offers;
pub mod requests;
pub mod routes;
pub mod workflow;

pub use routes::routes;
