//! New accounts: the checks and the insert behind self-registration, an accepted
//! invitation, `quartier create-admin` and demo data.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use shared::accounts::PRIVACY_NOTICE_VERSION;
use shared::problem::field_code::{REQUIRED, TOO_LONG, UNKNOWN_QUARTER};
use shared::{FieldError, Language, Role, TextSize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::email;
use super::passwords::{hash, password_problem};
use crate::crypto;
use crate::entities::{quarter, role_grant, user};
use crate::error::ApiError;

/// A user to create; validated by `create_user`.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub language: Language,
    pub home_quarter_id: Option<Uuid>,
}

pub(super) fn validation(errors: Vec<(&str, &str)>) -> Result<(), ApiError> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::Validation(
        errors
            .into_iter()
            .map(|(field, code)| FieldError {
                field: field.into(),
                code: code.into(),
            })
            .collect(),
    ))
}

pub(super) fn name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some(REQUIRED)
    } else if name.chars().count() > 100 {
        Some(TOO_LONG)
    } else {
        None
    }
}

/// 400 on `field` unless the quarter exists.
pub async fn require_quarter<C: ConnectionTrait>(
    conn: &C,
    quarter_id: Uuid,
    field: &str,
) -> Result<quarter::Model, ApiError> {
    quarter::Entity::find_by_id(quarter_id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::field(field, UNKNOWN_QUARTER))
}

/// A validated user with the password already hashed, ready to insert.
pub struct PreparedUser {
    email: String,
    password_hash: String,
    display_name: String,
    language: Language,
    home_quarter_id: Option<Uuid>,
}

/// Validates a new user and hashes the password. No database access: call it before
/// opening the write transaction, so argon2 never runs while the write lock is held.
pub async fn prepare_user(
    hashing: &crypto::Hashing,
    new: NewUser<'_>,
) -> Result<PreparedUser, ApiError> {
    let email = email::canonical(new.email);
    let mut errors = Vec::new();
    if let Some(code) = email::problem(&email) {
        errors.push(("email", code));
    }
    if let Some(code) = password_problem(new.password, &[&email, new.display_name]) {
        errors.push(("password", code));
    }
    if let Some(code) = name_problem(new.display_name) {
        errors.push(("display_name", code));
    }
    validation(errors)?;
    Ok(PreparedUser {
        email,
        password_hash: hash(hashing, new.password).await?,
        display_name: new.display_name.trim().to_owned(),
        language: new.language,
        home_quarter_id: new.home_quarter_id,
    })
}

/// Inserts a prepared user with the given role grants, in the caller's transaction.
/// A duplicate email is a 409 from the unique constraint.
pub async fn insert_user<C: ConnectionTrait>(
    txn: &C,
    new: PreparedUser,
    grants: &[(Role, Option<Uuid>, Option<Uuid>)],
) -> Result<user::Model, ApiError> {
    let now = OffsetDateTime::now_utc();
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name),
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
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => {
            ApiError::Conflict("This email address is already registered.".into())
        }
        other => other,
    })?;
    for (role, organisation_id, quarter_id) in grants {
        role_grant::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            role: Set((*role).into()),
            organisation_id: Set(*organisation_id),
            quarter_id: Set(*quarter_id),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    Ok(user)
}

/// `prepare_user` then `insert_user`: for the command line, demo data and tests,
/// where holding a transaction during hashing does not matter.
pub async fn create_user<C: ConnectionTrait>(
    txn: &C,
    new: NewUser<'_>,
    grants: &[(Role, Option<Uuid>, Option<Uuid>)],
) -> Result<user::Model, ApiError> {
    let prepared = prepare_user(crypto::shared_hashing(), new).await?;
    insert_user(txn, prepared, grants).await
}
