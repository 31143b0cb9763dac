//! Organisations, quarters, users and role grants.
//!
//! Enumerations (role, language, text size, age band) are stored as short strings:
//! portable across SQLite and PostgreSQL and readable in a database shell.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Quarters {
    Table,
    Id,
    OrganisationId,
    Name,
    Description,
    PopulationTotal,
    PopulationUnder50,
    Population50To64,
    Population65To74,
    Population75To84,
    Population85Plus,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Language,
    TextSize,
    HomeQuarterId,
    AgeBand,
    Phone,
    ConsentVersion,
    ConsentAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    OrganisationId,
    QuarterId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_uuid(Organisations::Id))
                    .col(string_len_uniq(Organisations::Name, 200))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Quarters::Table)
                    .col(pk_uuid(Quarters::Id))
                    .col(uuid(Quarters::OrganisationId))
                    .col(string_len(Quarters::Name, 200))
                    .col(text(Quarters::Description).default(""))
                    .col(integer(Quarters::PopulationTotal).default(0))
                    .col(integer(Quarters::PopulationUnder50).default(0))
                    .col(integer(Quarters::Population50To64).default(0))
                    .col(integer(Quarters::Population65To74).default(0))
                    .col(integer(Quarters::Population75To84).default(0))
                    .col(integer(Quarters::Population85Plus).default(0))
                    .col(timestamp_with_time_zone(Quarters::CreatedAt))
                    .col(timestamp_with_time_zone(Quarters::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Quarters::Table, Quarters::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("quarters_organisation_name_key")
                    .table(Quarters::Table)
                    .col(Quarters::OrganisationId)
                    .col(Quarters::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    // Stored lower-cased; uniqueness is a constraint, not a read-then-write.
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(string_len(Users::DisplayName, 100))
                    .col(string_len(Users::Language, 8).default("de"))
                    .col(string_len(Users::TextSize, 16).default("normal"))
                    .col(uuid_null(Users::HomeQuarterId))
                    .col(string_len_null(Users::AgeBand, 16))
                    .col(string_len_null(Users::Phone, 40))
                    .col(string_len(Users::ConsentVersion, 32))
                    .col(timestamp_with_time_zone(Users::ConsentAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::HomeQuarterId)
                            .to(Quarters::Table, Quarters::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoleGrants::Table)
                    .col(pk_uuid(RoleGrants::Id))
                    .col(uuid(RoleGrants::UserId))
                    .col(string_len(RoleGrants::Role, 16))
                    // Set for admin grants (and managers, for the organisation of their quarter).
                    .col(uuid_null(RoleGrants::OrganisationId))
                    // Set for manager grants only: one row per quarter managed.
                    .col(uuid_null(RoleGrants::QuarterId))
                    .col(timestamp_with_time_zone(RoleGrants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RoleGrants::Table, RoleGrants::QuarterId)
                            .to(Quarters::Table, Quarters::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("role_grants_user_idx")
                    .table(RoleGrants::Table)
                    .col(RoleGrants::UserId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RoleGrants::Table.into_iden(),
            Users::Table.into_iden(),
            Quarters::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
