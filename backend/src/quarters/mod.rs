//! Quarters of an organisation, with population figures for participation rates.

pub mod routes;
pub mod service;

pub use routes::routes;
