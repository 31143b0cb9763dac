//! Surveys: definitions and their versions, target quarters, access codes, responses,
//! participation records, answer counters and server-side drafts.
//!
//! Responses are one row each, the answers one JSON document; the client's key is the
//! primary key, so a retried submission is refused by the constraint itself. Counters
//! (`survey_counts`) are maintained in the same transaction as the responses they count,
//! so dashboards read a few thousand rows instead of a million responses, and never drift.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Quarters {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    OrganisationId,
    /// JSON `{de, en}`.
    Title,
    Intro,
    Status,
    OpensAt,
    ClosesAt,
    Anonymous,
    AccessPublic,
    AccessCodes,
    AccessSignedIn,
    ProfileQuestions,
    Version,
    /// JSON: the current version's definition.
    Definition,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SurveyQuarters {
    Table,
    SurveyId,
    QuarterId,
}

#[derive(DeriveIden)]
enum SurveyVersions {
    Table,
    SurveyId,
    Version,
    Definition,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessCodes {
    Table,
    Id,
    SurveyId,
    QuarterId,
    CodeHash,
    RedeemedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyParticipants {
    Table,
    SurveyId,
    UserId,
}

#[derive(DeriveIden)]
enum SurveyCounts {
    Table,
    SurveyId,
    Question,
    Choice,
    QuarterKey,
    AgeBand,
    Channel,
    N,
    Total,
    MinValue,
    MaxValue,
}

#[derive(DeriveIden)]
enum SurveyDrafts {
    Table,
    SurveyId,
    UserId,
    Answers,
    Position,
    UpdatedAt,
}

/// Responses are created by hand on SQLite: `WITHOUT ROWID` stores them in the order of
/// their random keys, so the file does not keep the order in which they arrived (which
/// could be matched against the order of code redemptions in an anonymous survey).
const SQLITE_RESPONSES: &str = r#"CREATE TABLE "survey_responses" (
    "id" uuid_text NOT NULL PRIMARY KEY,
    "survey_id" uuid_text NOT NULL REFERENCES "surveys" ("id") ON DELETE CASCADE,
    "version" integer NOT NULL,
    "channel" varchar(16) NOT NULL,
    "quarter_id" uuid_text NULL REFERENCES "quarters" ("id") ON DELETE SET NULL,
    "age_band" varchar(16) NULL,
    "user_id" uuid_text NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "entered_by" uuid_text NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "answers" json_text NOT NULL,
    "submitted_at" timestamp_with_timezone_text NOT NULL
) WITHOUT ROWID"#;

const POSTGRES_RESPONSES: &str = r#"CREATE TABLE "survey_responses" (
    "id" uuid NOT NULL PRIMARY KEY,
    "survey_id" uuid NOT NULL REFERENCES "surveys" ("id") ON DELETE CASCADE,
    "version" integer NOT NULL,
    "channel" varchar(16) NOT NULL,
    "quarter_id" uuid NULL REFERENCES "quarters" ("id") ON DELETE SET NULL,
    "age_band" varchar(16) NULL,
    "user_id" uuid NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "entered_by" uuid NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "answers" jsonb NOT NULL,
    "submitted_at" timestamp with time zone NOT NULL
)"#;

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
                    .table(Surveys::Table)
                    .col(pk_uuid(Surveys::Id))
                    .col(uuid(Surveys::OrganisationId))
                    .col(json(Surveys::Title))
                    .col(json(Surveys::Intro))
                    .col(string_len(Surveys::Status, 16))
                    .col(timestamp_with_time_zone_null(Surveys::OpensAt))
                    .col(timestamp_with_time_zone_null(Surveys::ClosesAt))
                    .col(boolean(Surveys::Anonymous))
                    .col(boolean(Surveys::AccessPublic))
                    .col(boolean(Surveys::AccessCodes))
                    .col(boolean(Surveys::AccessSignedIn))
                    .col(boolean(Surveys::ProfileQuestions))
                    .col(integer(Surveys::Version))
                    .col(json(Surveys::Definition))
                    .col(uuid_null(Surveys::CreatedBy))
                    .col(timestamp_with_time_zone(Surveys::CreatedAt))
                    .col(timestamp_with_time_zone(Surveys::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (Surveys::Table, Surveys::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Surveys::Table, Surveys::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("surveys_organisation_idx")
                    .table(Surveys::Table)
                    .col(Surveys::OrganisationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyQuarters::Table)
                    .col(uuid(SurveyQuarters::SurveyId))
                    .col(uuid(SurveyQuarters::QuarterId))
                    .primary_key(
                        Index::create()
                            .col(SurveyQuarters::SurveyId)
                            .col(SurveyQuarters::QuarterId),
                    )
                    .foreign_key(&mut cascade(
                        (SurveyQuarters::Table, SurveyQuarters::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (SurveyQuarters::Table, SurveyQuarters::QuarterId),
                        (Quarters::Table, Quarters::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("survey_quarters_quarter_idx")
                    .table(SurveyQuarters::Table)
                    .col(SurveyQuarters::QuarterId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyVersions::Table)
                    .col(uuid(SurveyVersions::SurveyId))
                    .col(integer(SurveyVersions::Version))
                    .col(json(SurveyVersions::Definition))
                    .col(timestamp_with_time_zone(SurveyVersions::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(SurveyVersions::SurveyId)
                            .col(SurveyVersions::Version),
                    )
                    .foreign_key(&mut cascade(
                        (SurveyVersions::Table, SurveyVersions::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccessCodes::Table)
                    .col(pk_uuid(AccessCodes::Id))
                    .col(uuid(AccessCodes::SurveyId))
                    .col(uuid(AccessCodes::QuarterId))
                    .col(string_len_uniq(AccessCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(AccessCodes::RedeemedAt))
                    .col(uuid_null(AccessCodes::CreatedBy))
                    .col(timestamp_with_time_zone(AccessCodes::CreatedAt))
                    .foreign_key(&mut cascade(
                        (AccessCodes::Table, AccessCodes::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (AccessCodes::Table, AccessCodes::QuarterId),
                        (Quarters::Table, Quarters::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccessCodes::Table, AccessCodes::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_codes_survey_quarter_idx")
                    .table(AccessCodes::Table)
                    .col(AccessCodes::SurveyId)
                    .col(AccessCodes::QuarterId)
                    .to_owned(),
            )
            .await?;

        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => {
                manager
                    .get_connection()
                    .execute_unprepared(SQLITE_RESPONSES)
                    .await?;
            }
            _ => {
                manager
                    .get_connection()
                    .execute_unprepared(POSTGRES_RESPONSES)
                    .await?;
            }
        }
        manager
            .get_connection()
            .execute_unprepared(
                r#"CREATE INDEX "survey_responses_survey_at_idx" ON "survey_responses" ("survey_id", "submitted_at")"#,
            )
            .await?;

        // Who took part in a survey, kept apart from what they answered: in an anonymous
        // survey this is how a signed-in person is held to one response.
        manager
            .create_table(
                Table::create()
                    .table(SurveyParticipants::Table)
                    .col(uuid(SurveyParticipants::SurveyId))
                    .col(uuid(SurveyParticipants::UserId))
                    .primary_key(
                        Index::create()
                            .col(SurveyParticipants::SurveyId)
                            .col(SurveyParticipants::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (SurveyParticipants::Table, SurveyParticipants::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (SurveyParticipants::Table, SurveyParticipants::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        // One counter per (survey, question, choice) and group (quarter, age band, channel).
        // `''` stands for "not given" so the primary key can take every row.
        manager
            .create_table(
                Table::create()
                    .table(SurveyCounts::Table)
                    .col(uuid(SurveyCounts::SurveyId))
                    .col(string_len(SurveyCounts::Question, 84))
                    .col(string_len(SurveyCounts::Choice, 40))
                    .col(string_len(SurveyCounts::QuarterKey, 36))
                    .col(string_len(SurveyCounts::AgeBand, 16))
                    .col(string_len(SurveyCounts::Channel, 16))
                    .col(big_integer(SurveyCounts::N))
                    .col(double(SurveyCounts::Total))
                    .col(double_null(SurveyCounts::MinValue))
                    .col(double_null(SurveyCounts::MaxValue))
                    .primary_key(
                        Index::create()
                            .col(SurveyCounts::SurveyId)
                            .col(SurveyCounts::Question)
                            .col(SurveyCounts::Choice)
                            .col(SurveyCounts::QuarterKey)
                            .col(SurveyCounts::AgeBand)
                            .col(SurveyCounts::Channel),
                    )
                    .foreign_key(&mut cascade(
                        (SurveyCounts::Table, SurveyCounts::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SurveyDrafts::Table)
                    .col(uuid(SurveyDrafts::SurveyId))
                    .col(uuid(SurveyDrafts::UserId))
                    .col(json(SurveyDrafts::Answers))
                    .col(integer(SurveyDrafts::Position))
                    .col(timestamp_with_time_zone(SurveyDrafts::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(SurveyDrafts::SurveyId)
                            .col(SurveyDrafts::UserId),
                    )
                    .foreign_key(&mut cascade(
                        (SurveyDrafts::Table, SurveyDrafts::SurveyId),
                        (Surveys::Table, Surveys::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (SurveyDrafts::Table, SurveyDrafts::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "survey_drafts",
            "survey_counts",
            "survey_participants",
            "survey_responses",
            "access_codes",
            "survey_versions",
            "survey_quarters",
            "surveys",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
