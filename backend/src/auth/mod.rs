//! Sign-up, sign-in and sessions: access tokens, rotating refresh tokens, rate limits,
//! and the extractors that say who is asking.

pub mod device;
pub mod extract;
pub mod jwt;
pub mod limits;
pub mod routes;
pub mod sessions;

pub use extract::{Admin, AuthUser, Grants, Manager, MaybeUser};
