//! Accounts, roles and the profile fields everyone can see in the contract.

use serde::{Deserialize, Serialize};

use crate::problem::field_code::{INVALID_EMAIL, REQUIRED, TOO_LONG, TOO_SHORT};

/// `Debug` that names the secret fields without their values, so no log line, trace or
/// panic message can carry a password, a code or a token.
macro_rules! debug_without_secrets {
    ($ty:ident { $($shown:ident),* ; $($secret:ident),* }) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($shown), &self.$shown))*
                    $(.field(stringify!($secret), &"[redacted]"))*
                    .finish()
            }
        }
    };
}

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
    #[serde(rename = "under_50")]
    Under50,
    #[serde(rename = "from_50_to_64")]
    From50To64,
    #[serde(rename = "from_65_to_74")]
    From65To74,
    #[serde(rename = "from_75_to_84")]
    From75To84,
    #[serde(rename = "from_85")]
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

/// Version of the privacy notice people consent to, sent with every consent and checked
/// by the server. When the notice changes, change its texts (the web app's `privacy` in
/// `i18n/de.rs` and `i18n/en.rs`) and this date together, or sign-ups are refused as
/// `outdated`.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-25";

/// Header the web app sends on the cookie-authenticated calls (`/auth/refresh`,
/// `/auth/logout`) and the server requires there. A cross-site form cannot set it, and a
/// cross-site script cannot send it without a CORS preflight the server never allows.
pub const CSRF_HEADER: &str = "x-quartier-csrf";

/// The length rule for a new password, which both sides check: `too_short` below
/// [`MIN_PASSWORD_LEN`] characters (an empty one included), `too_long` above
/// [`MAX_PASSWORD_LEN`]. Whether it is too easy to guess only the server decides.
pub fn password_length_problem(password: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        Some(TOO_SHORT)
    } else if len > MAX_PASSWORD_LEN {
        Some(TOO_LONG)
    } else {
        None
    }
}

/// Why an email address is refused, if it is. Deliberately simple: one `@`, a dot in the
/// domain, no spaces; the real check is whether mail arrives.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    if email.is_empty() {
        return Some(REQUIRED);
    }
    if email.len() > 254 {
        return Some(TOO_LONG);
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Some(INVALID_EMAIL);
    };
    let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
    if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) {
        return Some(INVALID_EMAIL);
    }
    None
}

debug_without_secrets!(RegisterRequest { email, display_name, language, home_quarter_id, volunteer, accept_privacy_notice, privacy_notice_version; password });
debug_without_secrets!(LoginRequest { email; password });
debug_without_secrets!(SessionDto { expires_in, user; access_token });
debug_without_secrets!(ChangePasswordRequest { ; current_password, new_password });
debug_without_secrets!(DeleteAccountRequest { ; password });
debug_without_secrets!(InvitationDto { id, email, display_name, quarter_ids, expires_at; code, path });
debug_without_secrets!(AcceptInvitationRequest { accept_privacy_notice, privacy_notice_version; code, password });
debug_without_secrets!(ResetCodeDto { expires_at; code });
debug_without_secrets!(ResetPasswordRequest { email; code, new_password });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(password_length_problem(""), Some("too_short"));
        assert_eq!(password_length_problem("ääääääääää"), None);
        assert_eq!(password_length_problem("äääääääää"), Some("too_short"));
        assert_eq!(password_length_problem(&"x".repeat(128)), None);
        assert_eq!(password_length_problem(&"x".repeat(129)), Some("too_long"));
    }

    #[test]
    fn a_profile_change_is_an_object_and_nothing_else() {
        let read = serde_json::from_str::<UpdateProfileRequest>;
        assert!(read("[]").is_err());
        assert!(read(r#"["Erna"]"#).is_err());
        assert_eq!(read("{}").ok(), Some(UpdateProfileRequest::default()));
        let change = read(r#"{"display_name": "Erna", "home_quarter_id": null}"#).unwrap();
        assert_eq!(change.display_name.as_deref(), Some("Erna"));
        assert_eq!(change.home_quarter_id, Some(None));
        let json = serde_json::to_string(&change).unwrap();
        assert_eq!(json, r#"{"display_name":"Erna","home_quarter_id":null}"#);
    }

    #[test]
    fn roles_and_age_bands_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
            // The JSON name is the stored name.
            let json = serde_json::to_string(&band).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", band.as_str()));
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

pub use uuid::Uuid;

/// Timestamps travel as RFC 3339 strings.
pub type Timestamp = time::OffsetDateTime;

/// One role a user holds, with its scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleGrantDto {
    pub role: Role,
    /// For admins (and managers): the organisation.
    pub organisation_id: Option<Uuid>,
    /// For managers: the quarter managed.
    pub quarter_id: Option<Uuid>,
}

/// The signed-in user's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeDto {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub language: crate::Language,
    pub text_size: crate::TextSize,
    pub home_quarter_id: Option<Uuid>,
    pub age_band: Option<AgeBand>,
    pub phone: Option<String>,
    pub roles: Vec<RoleGrantDto>,
    /// Version of the privacy notice agreed to.
    pub consent_version: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub consent_at: Timestamp,
}

impl MeDto {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }
}

/// `POST /api/v1/auth/register`: residents (and volunteers) sign up themselves.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    #[serde(default)]
    pub language: crate::Language,
    #[serde(default)]
    pub home_quarter_id: Option<Uuid>,
    /// Also offer help as a volunteer.
    #[serde(default)]
    pub volunteer: bool,
    /// Must be true: the user agreed to the privacy notice of `privacy_notice_version`.
    pub accept_privacy_notice: bool,
    pub privacy_notice_version: String,
}

/// `POST /api/v1/auth/login`
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Answer to register, login, refresh and accepting an invitation. The refresh token
/// travels only in an HttpOnly cookie, never in a body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionDto {
    /// Short-lived bearer token for the `Authorization` header.
    pub access_token: String,
    /// Seconds until `access_token` expires.
    pub expires_in: u64,
    pub user: MeDto,
}

/// `PATCH /api/v1/me`: fields left out stay as they are. A JSON object only: `[]` is
/// refused, not read as "change nothing".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(remote = "Self")]
pub struct UpdateProfileRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_size: Option<crate::TextSize>,
    /// `Some(None)` clears the home quarter.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub home_quarter_id: Option<Option<Uuid>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub age_band: Option<Option<AgeBand>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub phone: Option<Option<String>>,
    /// Offer neighbourly help as a volunteer (`true`) or stop (`false`). Residents only;
    /// stopping pauses the volunteer's offer, so nobody is suggested requests any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer: Option<bool>,
}

object_only!(UpdateProfileRequest);

/// `POST /api/v1/me/password`
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `DELETE /api/v1/me`: the password confirms the deletion.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccountRequest {
    pub password: String,
}

/// A manager or admin creates an invitation; the link is passed on by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInvitationRequest {
    pub email: String,
    pub display_name: String,
    /// Quarters the new manager will manage (all of the admin's organisation).
    pub quarter_ids: Vec<Uuid>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationDto {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub quarter_ids: Vec<Uuid>,
    /// Single-use code, `ABCD-EFGH` (no look-alike characters), to read out or pass on;
    /// shown once. The invitation page takes it typed, in any case, with or without the dash.
    pub code: String,
    /// Path of the web app page that accepts the invitation, e.g. `/invitation/ABCD-EFGH`.
    pub path: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

/// `POST /api/v1/auth/invitations/accept`
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    pub code: String,
    pub password: String,
    pub accept_privacy_notice: bool,
    pub privacy_notice_version: String,
}

/// A one-time code a manager reads out to a resident on the phone.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCodeDto {
    pub code: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

/// `POST /api/v1/auth/reset-password`
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    pub email: String,
    pub code: String,
    pub new_password: String,
}

/// A person as managers and admins see them in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDto {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub home_quarter_id: Option<Uuid>,
    pub roles: Vec<RoleGrantDto>,
}

/// One audit log entry: who accessed or changed whose personal data, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryDto {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_email: Option<String>,
    /// Stable action name, e.g. `residents.list`, `reset_code.issue`.
    pub action: String,
    pub subject_user_id: Option<Uuid>,
    pub quarter_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// Serde helper: tells "field absent" (`None`) from "field null" (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// One sign-in session, as listed in the data export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfoDto {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    pub active: bool,
}

/// `GET /api/v1/me/export`: everything stored about the user (GDPR Art. 15 and 20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDataExport {
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub exported_at: Timestamp,
    pub account: MeDto,
    /// When the account was created and last changed.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
    /// Every role held, with when it was granted.
    pub role_grants: Vec<GrantExportDto>,
    /// Live sessions (one per signed-in device).
    pub sessions: Vec<SessionInfoDto>,
    /// Password reset codes issued for this account (the codes themselves are never stored).
    pub reset_codes: Vec<ResetCodeExportDto>,
    /// Invitations addressed to this account's e-mail address.
    pub invitations: Vec<InvitationExportDto>,
    /// Who accessed this account's personal data.
    pub access_log: Vec<AuditEntryDto>,
}

/// A role grant as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantExportDto {
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub quarter_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub granted_at: Timestamp,
}

/// A reset code issued for the account, as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetCodeExportDto {
    /// The staff member who issued it, if their account still exists.
    pub issued_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub used_at: Option<Timestamp>,
}

/// An invitation addressed to the account's e-mail address, as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationExportDto {
    pub organisation_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub quarter_ids: Vec<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub accepted_at: Option<Timestamp>,
}
