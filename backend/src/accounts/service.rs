//! Rules and data access for accounts: creation, profile, passwords, invitations,
//! reset codes, export and deletion.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use shared::accounts::{
    AuditEntryDto, CreateInvitationRequest, GrantExportDto, InvitationDto, InvitationExportDto,
    MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, MyDataExport, PersonDto, ResetCodeDto, ResetCodeExportDto,
    SessionInfoDto, UpdateProfileRequest,
};
use shared::{AgeBand, FieldError, Language, MeDto, Role, TextSize};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::accounts::email;
use crate::audit::{self, Access};
use crate::auth::{AuthUser, Grants, sessions};
use crate::crypto;
use crate::entities::{
    audit_entry, invitation, quarter, refresh_token, reset_code, role_grant, user, volunteer_offer,
};
use crate::error::ApiError;
use crate::startup::AppState;

/// Version of the privacy notice users consent to; bump when the notice changes.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11-25";
/// How long an invitation (its link and code) stays valid.
pub const INVITATION_DAYS: i64 = 14;
/// How long a reset code read out on the phone stays valid.
pub const RESET_CODE_HOURS: i64 = 48;
const RESET_CODE_LEN: usize = 8;
const INVITATION_CODE_LEN: usize = 8;

/// An 8-character code as people see it: `ABCD-EFGH`.
fn shown_code(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..])
}

/// A user to create; validated by `create_user`.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub language: Language,
    pub home_quarter_id: Option<Uuid>,
}

/// Password rules shared by registration, invitations, changes and resets:
/// length, and not one of the passwords attackers try first.
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<&'static str> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Some("too_short");
    }
    if len > MAX_PASSWORD_LEN {
        return Some("too_long");
    }
    // zxcvbn knows the common-password lists; score 0–1 means "guessable within
    // ~10^6 attempts", which includes every entry of those lists.
    if u8::from(zxcvbn::zxcvbn(password, user_inputs).score()) < 2 {
        return Some("too_common");
    }
    None
}

fn validation(errors: Vec<(&str, &str)>) -> Result<(), ApiError> {
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

fn name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("required")
    } else if name.chars().count() > 100 {
        Some("too_long")
    } else {
        None
    }
}

async fn hash(hashing: &crypto::Hashing, password: &str) -> Result<String, ApiError> {
    let password = password.to_owned();
    hashing
        .run(move || crypto::hash_password(&password))
        .await?
        .map_err(ApiError::Internal)
}

async fn verify(hashing: &crypto::Hashing, password: &str, phc: &str) -> Result<bool, ApiError> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    hashing
        .run(move || crypto::verify_password(&password, &phc))
        .await
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
        .ok_or_else(|| ApiError::field(field, "unknown_quarter"))
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

pub fn me_dto(auth: &AuthUser) -> MeDto {
    let u = &auth.user;
    MeDto {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        language: Language::from_tag(&u.language),
        text_size: TextSize::parse(&u.text_size).unwrap_or_default(),
        home_quarter_id: u.home_quarter_id,
        age_band: u.age_band.as_deref().and_then(AgeBand::parse),
        phone: u.phone.clone(),
        roles: auth.grants.dtos(),
        consent_version: u.consent_version.clone(),
        consent_at: u.consent_at,
    }
}

/// Applies the fields present in `req` to the user's own profile.
pub async fn update_profile(
    state: &AppState,
    me: &AuthUser,
    req: UpdateProfileRequest,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Some(name) = &req.display_name
        && let Some(code) = name_problem(name)
    {
        errors.push(("display_name", code));
    }
    if let Some(Some(phone)) = &req.phone
        && (phone.trim().chars().count() > 40
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-/()".contains(c)))
    {
        errors.push(("phone", "invalid_phone"));
    }
    validation(errors)?;
    let txn = state.db.begin_write().await?;
    if let Some(Some(quarter_id)) = req.home_quarter_id {
        require_quarter(&txn, quarter_id, "home_quarter_id").await?;
    }
    let mut model = me.user.clone().into_active_model();
    if let Some(name) = req.display_name {
        model.display_name = Set(name.trim().to_owned());
    }
    if let Some(language) = req.language {
        model.language = Set(language.tag().to_owned());
    }
    if let Some(size) = req.text_size {
        model.text_size = Set(size.as_str().to_owned());
    }
    if let Some(quarter) = req.home_quarter_id {
        model.home_quarter_id = Set(quarter);
    }
    if let Some(band) = req.age_band {
        model.age_band = Set(band.map(|b| b.as_str().to_owned()));
    }
    if let Some(phone) = req.phone {
        model.phone = Set(phone.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()));
    }
    model.updated_at = Set(OffsetDateTime::now_utc());
    model.update(&txn).await?;
    if let Some(volunteer) = req.volunteer {
        set_volunteer(&txn, me, volunteer).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Starts or stops the caller's volunteering, as registration promised they could.
/// Residents only: staff accounts are not residents of a quarter. Stopping pauses
/// their offer (kept for a return) so the matcher suggests them no more. A change is
/// audit-logged for the office of their home quarter, who verifies volunteers.
async fn set_volunteer<C: ConnectionTrait>(
    txn: &C,
    me: &AuthUser,
    volunteer: bool,
) -> Result<(), ApiError> {
    if !me.grants.has(Role::Resident) {
        return Err(ApiError::Forbidden);
    }
    if me.grants.has(Role::Volunteer) == volunteer {
        return Ok(());
    }
    let now = OffsetDateTime::now_utc();
    if volunteer {
        role_grant::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(me.id()),
            role: Set(Role::Volunteer.as_str().to_owned()),
            organisation_id: Set(None),
            quarter_id: Set(None),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    } else {
        role_grant::Entity::delete_many()
            .filter(role_grant::Column::UserId.eq(me.id()))
            .filter(role_grant::Column::Role.eq(Role::Volunteer.as_str()))
            .exec(txn)
            .await?;
        volunteer_offer::Entity::update_many()
            .col_expr(volunteer_offer::Column::Paused, Expr::value(true))
            .col_expr(volunteer_offer::Column::UpdatedAt, Expr::value(now))
            .filter(volunteer_offer::Column::UserId.eq(me.id()))
            .exec(txn)
            .await?;
    }
    let organisation_id = match me.user.home_quarter_id {
        Some(quarter_id) => quarter::Entity::find_by_id(quarter_id)
            .one(txn)
            .await?
            .map(|q| q.organisation_id),
        None => None,
    };
    audit::record(
        txn,
        me,
        Access {
            action: if volunteer {
                "volunteer.start"
            } else {
                "volunteer.stop"
            },
            organisation_id,
            subject_user_id: Some(me.id()),
            quarter_id: me.user.home_quarter_id,
        },
    )
    .await
}

/// Changes the password after checking the current one; ends every other session.
pub async fn change_password(
    state: &AppState,
    me: &AuthUser,
    current: &str,
    new: &str,
) -> Result<(), ApiError> {
    if !verify(&state.hashing, current, &me.user.password_hash).await? {
        return Err(ApiError::field("current_password", "wrong_password"));
    }
    if let Some(code) = password_problem(new, &[&me.user.email, &me.user.display_name]) {
        return Err(ApiError::field("new_password", code));
    }
    set_password(state, me.id(), new).await
}

async fn set_password(state: &AppState, user_id: Uuid, new: &str) -> Result<(), ApiError> {
    let hash = hash(&state.hashing, new).await?;
    let txn = state.db.begin_write().await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            user::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    sessions::revoke_all(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes the account after checking the password. Role grants, sessions and codes go
/// with it (cascade); survey responses will keep only `NULL` where the user was
/// (`ON DELETE SET NULL`), so statistics stay whole and anonymous.
pub async fn delete_account(
    state: &AppState,
    me: &AuthUser,
    password: &str,
) -> Result<(), ApiError> {
    if !verify(&state.hashing, password, &me.user.password_hash).await? {
        return Err(ApiError::field("password", "wrong_password"));
    }
    let txn = state.db.begin_write().await?;
    // The last admin of an organisation may not leave it without an admin.
    for org in me.grants.admin_of() {
        let admins = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Admin.as_str()))
            .filter(role_grant::Column::OrganisationId.eq(org))
            .all(&txn)
            .await?;
        if admins.iter().all(|g| g.user_id == me.id()) {
            return Err(ApiError::Conflict(
                "You are the organisation's last administrator. Appoint another one first.".into(),
            ));
        }
    }
    // What the audit needs of a deleted person is the id it already holds; their address
    // goes from the entries they made, and invitations addressed to them go entirely.
    audit_entry::Entity::update_many()
        .col_expr(
            audit_entry::Column::ActorEmail,
            Expr::value(Option::<String>::None),
        )
        .filter(audit_entry::Column::ActorId.eq(me.id()))
        .exec(&txn)
        .await?;
    invitation::Entity::delete_many()
        .filter(invitation::Column::Email.eq(&me.user.email))
        .exec(&txn)
        .await?;
    user::Entity::delete_by_id(me.id()).exec(&txn).await?;
    txn.commit().await?;
    // `secure_delete` zeroed the rows in the pages; the checkpoint takes the old page
    // images out of the WAL. A failure here does not undo the deletion.
    if let Err(error) = state.db.checkpoint().await {
        tracing::warn!(?error, "checkpoint after an account deletion failed");
    }
    Ok(())
}

/// Everything stored about the signed-in user.
pub async fn export(state: &AppState, me: &AuthUser) -> Result<MyDataExport, ApiError> {
    let conn = state.db.conn();
    let now = OffsetDateTime::now_utc();
    // Sessions that can still be used: one per signed-in device. Rotated and revoked
    // tokens are bookkeeping (reuse detection), not sessions, and the cleanup deletes them.
    let sessions = refresh_token::Entity::find()
        .filter(refresh_token::Column::UserId.eq(me.id()))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .filter(refresh_token::Column::ExpiresAt.gt(now))
        .order_by_asc(refresh_token::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|t| SessionInfoDto {
            created_at: t.created_at,
            expires_at: t.expires_at,
            active: t.revoked_at.is_none() && t.used_at.is_none() && t.expires_at > now,
        })
        .collect();
    let access_log: Vec<AuditEntryDto> = audit_entry::Entity::find()
        .filter(audit_entry::Column::SubjectUserId.eq(me.id()))
        .order_by_asc(audit_entry::Column::At)
        .all(conn)
        .await?
        .into_iter()
        .map(audit::dto)
        .collect();
    let role_grants = me
        .grants
        .0
        .iter()
        .filter_map(|g| {
            Some(GrantExportDto {
                role: Role::parse(&g.role)?,
                organisation_id: g.organisation_id,
                quarter_id: g.quarter_id,
                granted_at: g.created_at,
            })
        })
        .collect();
    let reset_codes = reset_code::Entity::find()
        .filter(reset_code::Column::UserId.eq(me.id()))
        .order_by_asc(reset_code::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| ResetCodeExportDto {
            issued_by: c.created_by,
            issued_at: c.created_at,
            expires_at: c.expires_at,
            used_at: c.used_at,
        })
        .collect();
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(&me.user.email))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|i| InvitationExportDto {
            organisation_id: i.organisation_id,
            quarter_ids: i
                .quarter_ids
                .split(',')
                .filter_map(|s| s.parse().ok())
                .collect(),
            email: i.email,
            display_name: i.display_name,
            created_at: i.created_at,
            expires_at: i.expires_at,
            accepted_at: i.accepted_at,
        })
        .collect();
    Ok(MyDataExport {
        exported_at: now,
        account: me_dto(me),
        created_at: me.user.created_at,
        updated_at: me.user.updated_at,
        role_grants,
        sessions,
        reset_codes,
        invitations,
        access_log,
    })
}

/// Users as staff see them, each with their own grants out of `all`.
fn people(users: Vec<user::Model>, all: &[role_grant::Model]) -> Vec<PersonDto> {
    users
        .into_iter()
        .map(|u| {
            let grants = Grants(all.iter().filter(|g| g.user_id == u.id).cloned().collect());
            PersonDto {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                home_quarter_id: u.home_quarter_id,
                roles: grants.dtos(),
            }
        })
        .collect()
}

/// Residents whose home quarter the manager manages (all quarters of an admin's
/// organisations for admins). Logged in the audit log.
pub async fn list_residents(
    state: &AppState,
    me: &AuthUser,
    quarter_filter: Option<Uuid>,
) -> Result<Vec<PersonDto>, ApiError> {
    let quarters = visible_quarters(state, me).await?;
    let quarters: Vec<Uuid> = match quarter_filter {
        Some(q) if quarters.contains(&q) => vec![q],
        // Another quarter's residents are out of sight: 404, as for a quarter that
        // does not exist (ARCHITECTURE.md, "404 for what one may not see").
        Some(_) => return Err(ApiError::NotFound),
        None => quarters,
    };
    let txn = state.db.begin_write().await?;
    let users = user::Entity::find()
        .filter(user::Column::HomeQuarterId.is_in(quarters.clone()))
        .order_by_asc(user::Column::DisplayName)
        .all(&txn)
        .await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.is_in(ids))
        .all(&txn)
        .await?;
    // Staff accounts are not residents: they are managed by admins, not reset by managers.
    let staff: Vec<Uuid> = grants
        .iter()
        .filter(|g| g.role == Role::Manager.as_str() || g.role == Role::Admin.as_str())
        .map(|g| g.user_id)
        .collect();
    let users: Vec<user::Model> = users
        .into_iter()
        .filter(|u| !staff.contains(&u.id))
        .collect();
    // One entry per resident shown, so each can see in their export who looked.
    let shown: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    audit::record_each(
        &txn,
        me,
        Access {
            action: "residents.list",
            organisation_id: me.grants.0.iter().find_map(|g| g.organisation_id),
            subject_user_id: None,
            quarter_id: quarter_filter,
        },
        &shown,
    )
    .await?;
    txn.commit().await?;
    Ok(people(users, &grants))
}

pub use crate::scope::visible_quarters;

/// Issues a one-time code with which `user_id` can set a new password. Only for
/// residents and volunteers of a quarter the caller manages (never for staff accounts).
pub async fn issue_reset_code(
    state: &AppState,
    me: &AuthUser,
    user_id: Uuid,
) -> Result<ResetCodeDto, ApiError> {
    let conn = state.db.conn();
    let target = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let quarters = visible_quarters(state, me).await?;
    let in_scope = target
        .home_quarter_id
        .is_some_and(|q| quarters.contains(&q));
    if !in_scope {
        // Indistinguishable from a missing user: managers learn nothing about other quarters.
        return Err(ApiError::NotFound);
    }
    let target_grants = Grants(
        role_grant::Entity::find()
            .filter(role_grant::Column::UserId.eq(user_id))
            .all(conn)
            .await?,
    );
    // Staff accounts are not among the residents a manager sees, so they are 404 like
    // any other account out of sight: a 403 here would mark them as staff.
    if target_grants.has(Role::Manager) || target_grants.has(Role::Admin) {
        return Err(ApiError::NotFound);
    }
    let code = crypto::readable_code(RESET_CODE_LEN);
    let now = OffsetDateTime::now_utc();
    let expires_at = now + Duration::hours(RESET_CODE_HOURS);
    let txn = state.db.begin_write().await?;
    // A new code replaces any earlier unused one.
    reset_code::Entity::update_many()
        .col_expr(reset_code::Column::UsedAt, Expr::value(now))
        .filter(reset_code::Column::UserId.eq(user_id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    reset_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        code_hash: Set(crypto::token_hash(&code)),
        created_by: Set(Some(me.id())),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: "reset_code.issue",
            organisation_id: me.grants.0.iter().find_map(|g| g.organisation_id),
            subject_user_id: Some(user_id),
            quarter_id: target.home_quarter_id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ResetCodeDto {
        code: shown_code(&code),
        expires_at,
    })
}

/// Sets a new password with a reset code; the code works once.
///
/// The code is checked first, and every failure — unknown address, wrong, used or
/// expired code, a code for someone else — gives the same answer after the same work
/// (one argon2 hash, as a success costs), so the endpoint tells nothing about which
/// addresses have accounts. The password rules speak only to someone holding a valid code.
pub async fn redeem_reset_code(
    state: &AppState,
    email: &str,
    code: &str,
    new_password: &str,
) -> Result<(), ApiError> {
    let invalid = || ApiError::field("code", "invalid_code");
    let email = email::canonical(email);
    let now = OffsetDateTime::now_utc();
    let conn = state.db.conn();
    let code_hash = crypto::token_hash(&crypto::normalise_code(code));
    let valid = reset_code::Entity::find()
        .filter(reset_code::Column::CodeHash.eq(code_hash))
        .filter(reset_code::Column::UsedAt.is_null())
        .filter(reset_code::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?;
    let target = match &valid {
        Some(found) => user::Entity::find_by_id(found.user_id)
            .one(conn)
            .await?
            .filter(|u| u.email == email),
        None => None,
    };
    let (Some(found), Some(target)) = (valid, target) else {
        hash(&state.hashing, new_password).await?;
        return Err(invalid());
    };
    if let Some(problem) = password_problem(new_password, &[&email, &target.display_name]) {
        return Err(ApiError::field("new_password", problem));
    }
    let hash = hash(&state.hashing, new_password).await?;
    let txn = state.db.begin_write().await?;
    let used = reset_code::Entity::update_many()
        .col_expr(reset_code::Column::UsedAt, Expr::value(now))
        .filter(reset_code::Column::Id.eq(found.id))
        .filter(reset_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    sessions::revoke_all(&txn, target.id).await?;
    txn.commit().await?;
    Ok(())
}

/// An admin invites a manager for quarters of their organisation.
pub async fn create_invitation(
    state: &AppState,
    me: &AuthUser,
    req: CreateInvitationRequest,
) -> Result<InvitationDto, ApiError> {
    let email = email::canonical(&req.email);
    let mut errors = Vec::new();
    if let Some(code) = email::problem(&email) {
        errors.push(("email", code));
    }
    if let Some(code) = name_problem(&req.display_name) {
        errors.push(("display_name", code));
    }
    if req.quarter_ids.is_empty() {
        errors.push(("quarter_ids", "required"));
    }
    validation(errors)?;
    let conn = state.db.conn();
    let quarters = quarter::Entity::find()
        .filter(quarter::Column::Id.is_in(req.quarter_ids.clone()))
        .all(conn)
        .await?;
    let organisation_id = match quarters.first() {
        Some(q) if quarters.len() == req.quarter_ids.len() => q.organisation_id,
        _ => return Err(ApiError::field("quarter_ids", "unknown_quarter")),
    };
    if quarters
        .iter()
        .any(|q| q.organisation_id != organisation_id)
        || !me.grants.is_admin_of(organisation_id)
    {
        return Err(ApiError::Forbidden);
    }
    // A short code from the reset codes' alphabet, so an admin can read it out on the
    // phone; the link carries the same code.
    let code = crypto::readable_code(INVITATION_CODE_LEN);
    let now = OffsetDateTime::now_utc();
    let expires_at = now + Duration::days(INVITATION_DAYS);
    let txn = state.db.begin_write().await?;
    let row = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        email: Set(email.clone()),
        display_name: Set(req.display_name.trim().to_owned()),
        quarter_ids: Set(req
            .quarter_ids
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        code_hash: Set(crypto::token_hash(&code)),
        created_by: Set(Some(me.id())),
        expires_at: Set(expires_at),
        accepted_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: "invitation.create",
            organisation_id: Some(organisation_id),
            subject_user_id: None,
            quarter_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(InvitationDto {
        id: row.id,
        email,
        display_name: row.display_name,
        quarter_ids: req.quarter_ids,
        path: format!("/invitation/{}", shown_code(&code)),
        code: shown_code(&code),
        expires_at,
    })
}

/// Creates the invited manager's account; the invitation works once.
pub async fn accept_invitation(
    state: &AppState,
    code: &str,
    password: &str,
) -> Result<Uuid, ApiError> {
    let invalid = || ApiError::field("code", "invalid_code");
    let now = OffsetDateTime::now_utc();
    // Typed codes in any case, with or without the dash; a link from before the short
    // codes carries a 32-character token, stored as the hash of itself.
    let hashes = [
        crypto::token_hash(&crypto::normalise_code(code)),
        crypto::token_hash(code.trim()),
    ];
    let found = invitation::Entity::find()
        .filter(invitation::Column::CodeHash.is_in(hashes))
        .one(state.db.conn())
        .await?
        .ok_or_else(invalid)?;
    if found.accepted_at.is_some() || found.expires_at <= now {
        return Err(invalid());
    }
    let prepared = prepare_user(
        &state.hashing,
        NewUser {
            email: &found.email,
            password,
            display_name: &found.display_name,
            language: Language::De,
            home_quarter_id: None,
        },
    )
    .await?;
    let grants: Vec<_> = found
        .quarter_ids
        .split(',')
        .filter_map(|s| s.parse().ok())
        .map(|q| (Role::Manager, Some(found.organisation_id), Some(q)))
        .collect();
    let txn = state.db.begin_write().await?;
    // Conditional update: of two concurrent acceptances only one wins.
    let accepted = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    if accepted.rows_affected != 1 {
        return Err(invalid());
    }
    let user = insert_user(&txn, prepared, &grants).await?;
    txn.commit().await?;
    Ok(user.id)
}

/// Managers of the admin's organisations. Logged in the audit log.
pub async fn list_managers(state: &AppState, me: &AuthUser) -> Result<Vec<PersonDto>, ApiError> {
    let orgs = me.grants.admin_of();
    let txn = state.db.begin_write().await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(Role::Manager.as_str()))
        .filter(role_grant::Column::OrganisationId.is_in(orgs.clone()))
        .all(&txn)
        .await?;
    let mut ids: Vec<Uuid> = grants.iter().map(|g| g.user_id).collect();
    ids.sort();
    ids.dedup();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::DisplayName)
        .all(&txn)
        .await?;
    audit::record(
        &txn,
        me,
        Access {
            action: "managers.list",
            organisation_id: orgs.first().copied(),
            subject_user_id: None,
            quarter_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(people(users, &grants))
}

/// The audit log of the admin's organisations, newest first.
pub async fn audit_log(state: &AppState, me: &AuthUser) -> Result<Vec<AuditEntryDto>, ApiError> {
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::OrganisationId.is_in(me.grants.admin_of()))
        .order_by_desc(audit_entry::Column::At)
        .all(state.db.conn())
        .await?;
    Ok(entries.into_iter().map(audit::dto).collect())
}
