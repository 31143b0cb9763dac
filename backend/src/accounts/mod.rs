//! Accounts: the user's own profile and data, and staff views of people
//! (residents for managers, managers and the audit log for admins).

pub mod email;
pub mod routes;
pub mod service;

pub use routes::routes;
