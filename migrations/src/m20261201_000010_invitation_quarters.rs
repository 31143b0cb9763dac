//! An invitation's quarters become rows of their own: `invitation_quarters`.
//!
//! `invitations.quarter_ids` kept them as comma-joined text, which nothing checked:
//! a quarter deleted after the invitation stayed named in it, and a value that was
//! not an id was skipped without a word when the invitation was accepted. The join
//! table has a foreign key to each side (deleting an invitation or a quarter deletes
//! its rows), so an invitation names only quarters that exist.
//!
//! Existing invitations keep their quarters: each id in the text becomes a row. Parts
//! that do not parse as an id, or name no quarter (any more), are dropped — exactly
//! the ones accepting the invitation skipped before, so no manager gets a different
//! quarter than they would have. Then the text column goes.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    /// The comma-joined quarter ids this migration replaces.
    QuarterIds,
}

#[derive(DeriveIden)]
enum Quarters {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum InvitationQuarters {
    Table,
    InvitationId,
    QuarterId,
}

fn cascade(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InvitationQuarters::Table)
                    .col(uuid(InvitationQuarters::InvitationId))
                    .col(uuid(InvitationQuarters::QuarterId))
                    .primary_key(
                        Index::create()
                            .col(InvitationQuarters::InvitationId)
                            .col(InvitationQuarters::QuarterId),
                    )
                    .foreign_key(&mut cascade(
                        (InvitationQuarters::Table, InvitationQuarters::InvitationId),
                        (Invitations::Table, Invitations::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (InvitationQuarters::Table, InvitationQuarters::QuarterId),
                        (Quarters::Table, Quarters::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Deleting a quarter finds its rows through this index, not a scan.
        manager
            .create_index(
                Index::create()
                    .name(QUARTER_INDEX)
                    .table(InvitationQuarters::Table)
                    .col(InvitationQuarters::QuarterId)
                    .to_owned(),
            )
            .await?;

        let conn = manager.get_connection();
        let backend = manager.get_database_backend();
        let quarters: BTreeSet<Uuid> = conn
            .query_all_raw(Statement::from_string(
                backend,
                r#"SELECT "id" FROM "quarters""#,
            ))
            .await?
            .into_iter()
            .map(|row| row.try_get::<Uuid>("", "id"))
            .collect::<Result<_, _>>()?;
        let invitations = conn
            .query_all_raw(Statement::from_string(
                backend,
                r#"SELECT "id", "quarter_ids" FROM "invitations""#,
            ))
            .await?;
        for row in invitations {
            let invitation: Uuid = row.try_get("", "id")?;
            let text: String = row.try_get("", "quarter_ids")?;
            let kept: BTreeSet<Uuid> = text
                .split(',')
                .filter_map(|part| part.parse().ok())
                .filter(|quarter| quarters.contains(quarter))
                .collect();
            if kept.is_empty() {
                continue;
            }
            let mut insert = Query::insert();
            insert.into_table(InvitationQuarters::Table).columns([
                InvitationQuarters::InvitationId,
                InvitationQuarters::QuarterId,
            ]);
            for quarter in kept {
                insert.values_panic([invitation.into(), quarter.into()]);
            }
            manager.execute(insert).await?;
        }

        manager
            .alter_table(
                Table::alter()
                    .table(Invitations::Table)
                    .drop_column(Invitations::QuarterIds)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invitations::Table)
                    .add_column(text(Invitations::QuarterIds).default(""))
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        let backend = manager.get_database_backend();
        let mut joined: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
        for row in conn
            .query_all_raw(Statement::from_string(
                backend,
                r#"SELECT "invitation_id", "quarter_id" FROM "invitation_quarters""#,
            ))
            .await?
        {
            joined
                .entry(row.try_get("", "invitation_id")?)
                .or_default()
                .push(row.try_get::<Uuid>("", "quarter_id")?.to_string());
        }
        let placeholders = match backend {
            DbBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        for (invitation, quarters) in joined {
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    r#"UPDATE "invitations" SET "quarter_ids" = {} WHERE "id" = {}"#,
                    placeholders.0, placeholders.1
                ),
                [quarters.join(",").into(), invitation.into()],
            ))
            .await?;
        }
        manager
            .drop_table(Table::drop().table(InvitationQuarters::Table).to_owned())
            .await
    }
}

const QUARTER_INDEX: &str = "invitation_quarters_quarter_idx";
