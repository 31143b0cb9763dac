//! SeaORM entities: plain table mappings. Rules live in the feature services.

pub mod audit_entry;
pub mod invitation;
pub mod organisation;
pub mod quarter;
pub mod refresh_token;
pub mod reset_code;
pub mod role_grant;
pub mod user;
