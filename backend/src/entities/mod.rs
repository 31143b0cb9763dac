//! SeaORM entities: plain table mappings. Rules live in the feature services.

pub mod organisation;
pub mod quarter;
pub mod role_grant;
pub mod user;
