//! Neighbourly help: volunteers' offers and their verification by managers. (Requests,
//! the matcher's suggestions and the workflow build on these.)

pub mod offers;
pub mod routes;

pub use routes::routes;
