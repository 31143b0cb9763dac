//! Accounts: users, role grants, passwords.

pub mod service;
