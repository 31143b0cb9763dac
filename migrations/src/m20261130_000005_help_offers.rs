//! Neighbourly help, part one: volunteers' offers and the quarters they serve.
//!
//! Categories and weekly availability are small JSON documents validated by
//! `shared::help` before they are stored; the quarters an offer serves are a join table,
//! so "volunteers of this quarter" is an indexed query and a deleted quarter takes its
//! rows with it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Quarters {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VolunteerOffers {
    Table,
    UserId,
    /// JSON array of category keys.
    Categories,
    /// JSON array of `{weekday, from_minute, to_minute}`.
    Availability,
    MaxTasksPerWeek,
    Paused,
    About,
    VerifiedAt,
    VerifiedBy,
    /// `YYYY-MM-DD`.
    CertificateSeenOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum VolunteerQuarters {
    Table,
    UserId,
    QuarterId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VolunteerOffers::Table)
                    .col(uuid(VolunteerOffers::UserId).primary_key())
                    .col(text(VolunteerOffers::Categories))
                    .col(text(VolunteerOffers::Availability))
                    .col(small_integer(VolunteerOffers::MaxTasksPerWeek))
                    .col(boolean(VolunteerOffers::Paused))
                    .col(text(VolunteerOffers::About))
                    .col(timestamp_with_time_zone_null(VolunteerOffers::VerifiedAt))
                    .col(uuid_null(VolunteerOffers::VerifiedBy))
                    .col(string_len_null(VolunteerOffers::CertificateSeenOn, 10))
                    .col(timestamp_with_time_zone(VolunteerOffers::CreatedAt))
                    .col(timestamp_with_time_zone(VolunteerOffers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerOffers::Table, VolunteerOffers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerOffers::Table, VolunteerOffers::VerifiedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VolunteerQuarters::Table)
                    .col(uuid(VolunteerQuarters::UserId))
                    .col(uuid(VolunteerQuarters::QuarterId))
                    .primary_key(
                        Index::create()
                            .col(VolunteerQuarters::UserId)
                            .col(VolunteerQuarters::QuarterId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerQuarters::Table, VolunteerQuarters::UserId)
                            .to(VolunteerOffers::Table, VolunteerOffers::UserId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VolunteerQuarters::Table, VolunteerQuarters::QuarterId)
                            .to(Quarters::Table, Quarters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("volunteer_quarters_by_quarter")
                    .table(VolunteerQuarters::Table)
                    .col(VolunteerQuarters::QuarterId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VolunteerQuarters::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(VolunteerOffers::Table).to_owned())
            .await
    }
}
