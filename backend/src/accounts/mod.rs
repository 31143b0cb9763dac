//! Accounts: new accounts and invitations, passwords and reset codes, the user's own
//! profile and data, and staff views of people (residents for managers, managers and
//! the audit log for admins). Sign-in and sessions are `auth`; who may see which
//! quarter is `scope`.

pub mod email;
pub mod invitations;
pub mod my_data;
pub mod passwords;
pub mod profile;
pub mod registration;
pub mod routes;
pub mod staff;

pub use routes::routes;
