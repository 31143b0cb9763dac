//! Neighbourly help, part two: requests for help.
//!
//! The client's UUID is the primary key, so a request sent twice is stored once. A request
//! belongs to the resident who asked (deleted with their account) or, taken on the
//! telephone for someone without an account, to the caller's name and phone, which only
//! the managers see.

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
enum HelpRequests {
    Table,
    Id,
    QuarterId,
    ResidentId,
    CreatedBy,
    CallerName,
    CallerPhone,
    Category,
    Details,
    /// JSON `shared::help::HelpWindow`.
    Window,
    /// The window's last day, `YYYY-MM-DD`: when an unmatched request expires.
    LastDay,
    Urgency,
    Accessibility,
    Status,
    VolunteerId,
    /// When the request was done: contact details are hidden again 30 days later.
    DoneAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HelpRequests::Table)
                    .col(uuid(HelpRequests::Id).primary_key())
                    .col(uuid(HelpRequests::QuarterId))
                    .col(uuid_null(HelpRequests::ResidentId))
                    .col(uuid_null(HelpRequests::CreatedBy))
                    .col(string_len_null(HelpRequests::CallerName, 120))
                    .col(string_len_null(HelpRequests::CallerPhone, 40))
                    .col(string_len(HelpRequests::Category, 16))
                    .col(text(HelpRequests::Details))
                    .col(text(HelpRequests::Window))
                    .col(string_len(HelpRequests::LastDay, 10))
                    .col(string_len(HelpRequests::Urgency, 8))
                    .col(text(HelpRequests::Accessibility))
                    .col(string_len(HelpRequests::Status, 12))
                    .col(uuid_null(HelpRequests::VolunteerId))
                    .col(timestamp_with_time_zone_null(HelpRequests::DoneAt))
                    .col(timestamp_with_time_zone(HelpRequests::CreatedAt))
                    .col(timestamp_with_time_zone(HelpRequests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpRequests::Table, HelpRequests::QuarterId)
                            .to(Quarters::Table, Quarters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpRequests::Table, HelpRequests::ResidentId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpRequests::Table, HelpRequests::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(HelpRequests::Table, HelpRequests::VolunteerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("help_requests_board")
                    .table(HelpRequests::Table)
                    .col(HelpRequests::QuarterId)
                    .col(HelpRequests::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("help_requests_by_resident")
                    .table(HelpRequests::Table)
                    .col(HelpRequests::ResidentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HelpRequests::Table).to_owned())
            .await
    }
}
