//! Accounts: signing up and in, the own profile, and the staff pages about people
//! (managers, residents, the audit log). Same noun as `backend/src/accounts/`.

mod audit;
mod invitation;
mod login;
mod managers;
mod my_data;
mod profile;
mod register;
mod reset_password;
mod residents;

pub use audit::AuditPage;
pub use invitation::InvitationPage;
pub use login::LoginPage;
pub use managers::ManagersPage;
pub use my_data::MyDataPage;
pub use profile::ProfilePage;
pub use register::RegisterPage;
pub use reset_password::ResetPasswordPage;
pub use residents::ResidentsPage;

use shared::{accounts::Uuid, quarters::QuarterDto};

/// Options for a quarter `<select>`: "not stated" first, then every quarter.
fn quarter_options(none: &str, quarters: &[QuarterDto]) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_owned()))
        .chain(quarters.iter().map(|q| (q.id.to_string(), q.name.clone())))
        .collect()
}

/// The name of a quarter, if it is in the list.
fn quarter_name(quarters: &[QuarterDto], id: Uuid) -> Option<String> {
    quarters.iter().find(|q| q.id == id).map(|q| q.name.clone())
}

/// A quarter's id from a `<select>` value; empty means none.
fn parse_quarter(value: &str) -> Option<Uuid> {
    Uuid::parse_str(value.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_choice_is_no_quarter() {
        assert_eq!(parse_quarter(""), None);
        let id = Uuid::from_u128(7);
        assert_eq!(parse_quarter(&id.to_string()), Some(id));
    }
}
