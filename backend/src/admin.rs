//! Command-line administration: the first admin of an organisation.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use shared::{Language, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::registration::{NewUser, create_user};
use crate::db::Db;
use crate::entities::organisation;

/// Creates `email` as admin of the organisation `organisation` (created if missing).
pub async fn create_admin(
    db: &Db,
    email: &str,
    name: &str,
    organisation: &str,
    password: &str,
) -> anyhow::Result<()> {
    let organisation = organisation.trim();
    if organisation.is_empty() {
        anyhow::bail!("the organisation needs a name");
    }
    let txn = db.begin_write().await?;
    let existing = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(organisation))
        .one(&txn)
        .await?;
    let org = match existing {
        Some(org) => org,
        None => {
            organisation::ActiveModel {
                id: Set(Uuid::now_v7()),
                name: Set(organisation.to_owned()),
                created_at: Set(OffsetDateTime::now_utc()),
            }
            .insert(&txn)
            .await?
        }
    };
    create_user(
        &txn,
        NewUser {
            email,
            password,
            display_name: name,
            language: Language::De,
            home_quarter_id: None,
        },
        &[(Role::Admin, Some(org.id), None)],
    )
    .await
    .map_err(|e| match e {
        crate::error::ApiError::Validation(fields) => anyhow::anyhow!(
            "invalid: {}",
            fields
                .iter()
                .map(|f| format!("{} ({})", f.field, f.code))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => anyhow::anyhow!("{other}"),
    })?;
    txn.commit().await?;
    Ok(())
}
