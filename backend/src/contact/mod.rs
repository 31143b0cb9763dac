//! Organisations' contact details: the office people call. Public to read (a resident
//! who forgot their password must find the number), changed by the organisation's admins.

pub mod routes;
pub mod service;

pub use routes::routes;
