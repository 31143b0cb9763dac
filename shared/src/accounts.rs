//! Accounts, roles and the profile fields everyone can see in the contract.

use serde::{Deserialize, Serialize};

/// What a person may do. One person can hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Volunteer,
    /// Scoped to one or more quarters.
    Manager,
    /// Scoped to an organisation.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Resident, Role::Volunteer, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Age bands used for population figures and self-reported age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Under50,
    From50To64,
    From65To74,
    From75To84,
    From85,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Under50,
        AgeBand::From50To64,
        AgeBand::From65To74,
        AgeBand::From75To84,
        AgeBand::From85,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under50 => "under_50",
            AgeBand::From50To64 => "from_50_to_64",
            AgeBand::From65To74 => "from_65_to_74",
            AgeBand::From75To84 => "from_75_to_84",
            AgeBand::From85 => "from_85",
        }
    }

    pub fn parse(s: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask more).
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted: argon2 is fine with more, but nobody types more.
pub const MAX_PASSWORD_LEN: usize = 128;

/// Why an email address is refused, if it is. Deliberately simple: one `@`, a dot in the
/// domain, no spaces; the real check is whether mail arrives.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    if email.is_empty() {
        return Some("required");
    }
    if email.len() > 254 {
        return Some("too_long");
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Some("invalid_email");
    };
    let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
    if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) {
        return Some("invalid_email");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_age_bands_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
        }
        assert_eq!(Role::parse("king"), None);
    }

    #[test]
    fn email_check_accepts_ordinary_addresses_only() {
        assert_eq!(email_problem("erna.meier@example.de"), None);
        assert_eq!(email_problem(""), Some("required"));
        assert_eq!(email_problem("erna"), Some("invalid_email"));
        assert_eq!(email_problem("erna@localhost"), Some("invalid_email"));
        assert_eq!(email_problem("er na@example.de"), Some("invalid_email"));
        assert_eq!(email_problem("a@b@c.de"), Some("invalid_email"));
    }
}
