//! Neighbourly help: volunteers' offers and their verification by managers, requests
//! for help and the matcher's suggestions for them. (The workflow builds on these.)

pub mod offers;
pub mod requests;
pub mod routes;

pub use routes::routes;
