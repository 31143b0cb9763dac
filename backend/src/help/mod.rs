//! Neighbourly help: volunteers' offers and their verification by managers, requests
//! for help, the matcher's suggestions for them, each request's workflow, who is told of
//! each step, and the jobs that expire and flag requests.

pub mod batch;
pub mod calendar;
mod from_survey;
pub mod jobs;
pub mod notifications;
mod notify;
pub mod offers;
pub mod requests;
pub mod routes;
pub mod workflow;

pub use routes::routes;
