//! Neighbourly help, part three: what happened to each request, who was told, the flag
//! that a request has waited too long, and recurring requests (weekly shopping).
//!
//! `help_events` is the log of a request's steps (the matcher reads a volunteer's
//! reliability from it; dashboards will count it). `notifications` holds one row per
//! person told of a step, read or not; both go with the request, and a person's rows go
//! with their account.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HelpRequests {
    Table,
    Id,
    /// When the quarter's managers were told that nobody has taken the request yet.
    FlaggedAt,
    /// The first week's id of a recurring request; `None` for a request asked once.
    SeriesId,
    /// The week of the series, from 1.
    SeriesWeek,
    /// How many weeks the series has.
    SeriesWeeks,
}

#[derive(DeriveIden)]
enum HelpEvents {
    Table,
    Id,
    RequestId,
    /// `asked`, `proposed`, `accepted`, `declined`, `confirmed`, `done`, `cancelled`,
    /// `expired` or `flagged`.
    Event,
    /// Who took the step; `None` for the server's own jobs.
    ActorId,
    /// The volunteer of the step (for a decline: the one who declined).
    VolunteerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    RequestId,
    Event,
    /// Which page the person is sent to: `resident`, `volunteer` or `staff`.
    Audience,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequests::Table)
                    .add_column(timestamp_with_time_zone_null(HelpRequests::FlaggedAt))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in [
            uuid_null(HelpRequests::SeriesId),
            small_integer_null(HelpRequests::SeriesWeek),
            small_integer_null(HelpRequests::SeriesWeeks),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequests::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(HelpEvents::Table)
                    .col(uuid(HelpEvents::Id).primary_key())
                    .col(uuid(HelpEvents::RequestId))
                    .col(string_len(HelpEvents::Event, 12))
                    .col(uuid_null(HelpEvents::ActorId))
                    .col(uuid_null(HelpEvents::VolunteerId))
                    .col(timestamp_with_time_zone(HelpEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpEvents::Table, HelpEvents::RequestId)
                            .to(HelpRequests::Table, HelpRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpEvents::Table, HelpEvents::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpEvents::Table, HelpEvents::VolunteerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("help_events_by_volunteer")
                    .table(HelpEvents::Table)
                    .col(HelpEvents::VolunteerId)
                    .col(HelpEvents::Event)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("help_events_by_request")
                    .table(HelpEvents::Table)
                    .col(HelpEvents::RequestId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::UserId))
                    .col(uuid(Notifications::RequestId))
                    .col(string_len(Notifications::Event, 12))
                    .col(string_len(Notifications::Audience, 12))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::RequestId)
                            .to(HelpRequests::Table, HelpRequests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_by_user")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notifications_by_request")
                    .table(Notifications::Table)
                    .col(Notifications::RequestId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(HelpEvents::Table).to_owned())
            .await?;
        for column in [
            HelpRequests::SeriesWeeks,
            HelpRequests::SeriesWeek,
            HelpRequests::SeriesId,
            HelpRequests::FlaggedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(HelpRequests::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
