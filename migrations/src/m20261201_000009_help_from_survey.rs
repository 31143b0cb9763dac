//! From a survey to help: a request a resident opened from a survey's thank-you page
//! remembers which survey — only for identified surveys (an anonymous survey's response
//! must never be joinable to a person, so a request from it carries nothing of it).
//!
//! No foreign key: only surveys with responses lead to requests, and those are never
//! deleted (a survey with responses is archived, not deleted). The index on
//! `survey_responses.user_id` finds a person's response for that check, and makes
//! erasing an account (which nulls the column) a lookup instead of a scan.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HelpRequests {
    Table,
    /// The identified survey the resident said this need in; `None` otherwise.
    FromSurveyId,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    UserId,
}

const BY_USER: &str = "survey_responses_by_user";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequests::Table)
                    .add_column(uuid_null(HelpRequests::FromSurveyId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(BY_USER)
                    .table(SurveyResponses::Table)
                    .col(SurveyResponses::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(BY_USER)
                    .table(SurveyResponses::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(HelpRequests::Table)
                    .drop_column(HelpRequests::FromSurveyId)
                    .to_owned(),
            )
            .await
    }
}
