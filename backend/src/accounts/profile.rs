//! The signed-in person's own account: what they see of it, changing it (volunteering
//! included) and deleting it.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use shared::accounts::UpdateProfileRequest;
use shared::problem::field_code::{INVALID_PHONE, WRONG_PASSWORD};
use shared::{AgeBand, Language, MeDto, Role, TextSize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::passwords::verify;
use super::registration::{name_problem, require_quarter, validation};
use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::entities::role_grant::GrantRole;
use crate::entities::{audit_entry, invitation, quarter, role_grant, user, volunteer_offer};
use crate::error::ApiError;
use crate::startup::AppState;

/// The account as its owner sees it. A stored text size or age band that names none is
/// an error, not a default.
pub fn me_dto(auth: &AuthUser) -> Result<MeDto, ApiError> {
    let u = &auth.user;
    let unknown = |column: &str, value: &str| {
        ApiError::Internal(anyhow::anyhow!(
            "user {} has an unknown {column} {value:?}",
            u.id
        ))
    };
    Ok(MeDto {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        language: Language::from_tag(&u.language),
        text_size: TextSize::parse(&u.text_size)
            .ok_or_else(|| unknown("text size", &u.text_size))?,
        home_quarter_id: u.home_quarter_id,
        age_band: match u.age_band.as_deref() {
            Some(band) => Some(AgeBand::parse(band).ok_or_else(|| unknown("age band", band))?),
            None => None,
        },
        phone: u.phone.clone(),
        roles: auth.grants.dtos(),
        consent_version: u.consent_version.clone(),
        consent_at: u.consent_at,
    })
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
        errors.push(("phone", INVALID_PHONE));
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
            role: Set(GrantRole::Volunteer),
            organisation_id: Set(None),
            quarter_id: Set(None),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    } else {
        role_grant::Entity::delete_many()
            .filter(role_grant::Column::UserId.eq(me.id()))
            .filter(role_grant::Column::Role.eq(GrantRole::Volunteer))
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

/// Deletes the account after checking the password. Role grants, sessions and codes go
/// with it (cascade); survey responses will keep only `NULL` where the user was
/// (`ON DELETE SET NULL`), so statistics stay whole and anonymous.
pub async fn delete_account(
    state: &AppState,
    me: &AuthUser,
    password: &str,
) -> Result<(), ApiError> {
    if !verify(&state.hashing, password, &me.user.password_hash).await? {
        return Err(ApiError::field("password", WRONG_PASSWORD));
    }
    let txn = state.db.begin_write().await?;
    // The last admin of an organisation may not leave it without an admin.
    for org in me.grants.admin_of() {
        let admins = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(GrantRole::Admin))
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
