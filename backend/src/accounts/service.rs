//! Rules and data access for accounts.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use shared::accounts::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, email_problem};
use shared::{Language, Role, TextSize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::crypto;
use crate::entities::{role_grant, user};
use crate::error::ApiError;

/// Version of the privacy notice users consent to; bump when the notice changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-25";

/// A user to create, already validated by the caller's rules.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub language: Language,
    pub home_quarter_id: Option<Uuid>,
}

/// Checks the password rules shared by registration, invitations and resets.
pub fn password_problem(password: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        Some("too_short")
    } else if len > MAX_PASSWORD_LEN {
        Some("too_long")
    } else {
        None
    }
}

/// Validates and inserts a user with the given role grants, in the caller's transaction.
/// Hashes on a blocking thread. A duplicate email is a 409 from the unique constraint.
pub async fn create_user<C: ConnectionTrait>(
    txn: &C,
    new: NewUser<'_>,
    grants: &[(Role, Option<Uuid>, Option<Uuid>)],
) -> Result<user::Model, ApiError> {
    let email = new.email.trim().to_lowercase();
    let mut errors = Vec::new();
    if let Some(code) = email_problem(&email) {
        errors.push(("email", code));
    }
    if let Some(code) = password_problem(new.password) {
        errors.push(("password", code));
    }
    let name = new.display_name.trim();
    if name.is_empty() {
        errors.push(("display_name", "required"));
    } else if name.chars().count() > 100 {
        errors.push(("display_name", "too_long"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(
            errors
                .into_iter()
                .map(|(field, code)| shared::FieldError {
                    field: field.into(),
                    code: code.into(),
                })
                .collect(),
        ));
    }
    let password = new.password.to_owned();
    let hash = tokio::task::spawn_blocking(move || crypto::hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let now = OffsetDateTime::now_utc();
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        password_hash: Set(hash),
        display_name: Set(name.to_owned()),
        language: Set(new.language.tag().to_owned()),
        text_size: Set(TextSize::Normal.as_str().to_owned()),
        home_quarter_id: Set(new.home_quarter_id),
        age_band: Set(None),
        phone: Set(None),
        consent_version: Set(PRIVACY_NOTICE_VERSION.to_owned()),
        consent_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    for (role, organisation_id, quarter_id) in grants {
        role_grant::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            role: Set(role.as_str().to_owned()),
            organisation_id: Set(*organisation_id),
            quarter_id: Set(*quarter_id),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(user)
}
