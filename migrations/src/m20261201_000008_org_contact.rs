//! An organisation's contact details: its office's name, address, telephone, e-mail,
//! opening hours (per language) and legal notice (Impressum), shown to everyone on the
//! about page, in the footer and wherever the app asks people to call.
//!
//! One row per organisation at most; an organisation without a row has not filled them
//! in yet (the API then answers with its name only). The row goes with its organisation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrganisationContacts {
    Table,
    OrganisationId,
    OfficeName,
    /// Street and number.
    Street,
    /// A second address line ("im Bürgerhaus, Erdgeschoss"); may be empty.
    AddressExtra,
    Postcode,
    City,
    /// As the office writes it ("030 555 01234"); the `tel:` form is derived from it.
    Phone,
    Email,
    OpeningHoursDe,
    /// Empty: the German text is shown.
    OpeningHoursEn,
    LegalNotice,
    LegalNoticeUrl,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrganisationContacts::Table)
                    .col(uuid(OrganisationContacts::OrganisationId).primary_key())
                    .col(string_len(OrganisationContacts::OfficeName, 200))
                    .col(string_len(OrganisationContacts::Street, 200))
                    .col(string_len(OrganisationContacts::AddressExtra, 200))
                    .col(string_len(OrganisationContacts::Postcode, 10))
                    .col(string_len(OrganisationContacts::City, 100))
                    .col(string_len(OrganisationContacts::Phone, 40))
                    .col(string_len_null(OrganisationContacts::Email, 254))
                    .col(text(OrganisationContacts::OpeningHoursDe))
                    .col(text(OrganisationContacts::OpeningHoursEn))
                    .col(text(OrganisationContacts::LegalNotice))
                    .col(string_len_null(OrganisationContacts::LegalNoticeUrl, 500))
                    .col(timestamp_with_time_zone(OrganisationContacts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                OrganisationContacts::Table,
                                OrganisationContacts::OrganisationId,
                            )
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrganisationContacts::Table).to_owned())
            .await
    }
}
