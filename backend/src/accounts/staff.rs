//! What staff see of people: residents for managers, managers and the audit log for
//! admins. Every look at personal data is audit-logged.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::accounts::{AuditEntryDto, PersonDto};
use uuid::Uuid;

use crate::audit::{self, Access};
use crate::auth::{AuthUser, Grants};
use crate::entities::role_grant::{self, GrantRole};
use crate::entities::{audit_entry, user};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

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
        .filter(|g| matches!(g.role, GrantRole::Manager | GrantRole::Admin))
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

/// Managers of the admin's organisations. Logged in the audit log.
pub async fn list_managers(state: &AppState, me: &AuthUser) -> Result<Vec<PersonDto>, ApiError> {
    let orgs = me.grants.admin_of();
    let txn = state.db.begin_write().await?;
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq(GrantRole::Manager))
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
