//! Who may see which quarter: the scope question every feature asks (accounts,
//! surveys, help, dashboards), answered in one place.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::entities::quarter;
use crate::error::ApiError;
use crate::startup::AppState;

/// Quarters a manager manages, plus every quarter of the organisations an admin
/// administers. Sorted, without duplicates.
pub async fn visible_quarters(state: &AppState, me: &AuthUser) -> Result<Vec<Uuid>, ApiError> {
    let mut quarters = me.grants.managed_quarters();
    let orgs = me.grants.admin_of();
    if !orgs.is_empty() {
        let of_orgs = quarter::Entity::find()
            .filter(quarter::Column::OrganisationId.is_in(orgs))
            .all(state.db.conn())
            .await?;
        quarters.extend(of_orgs.into_iter().map(|q| q.id));
    }
    quarters.sort();
    quarters.dedup();
    Ok(quarters)
}
