//! Survey counters become one row per group: `survey_tallies`.
//!
//! `survey_counts` kept one row per (question, choice) and group (quarter, age band,
//! channel): a 20-question response touched ~40 counter rows, and a batch of responses
//! spread over a dozen groups upserted several hundred rows through a six-column text
//! key — most of the write path's time. A tally keeps all counters of one group in one
//! document, so a batch now rewrites one row per group it touches. The document is
//! opaque to SQL (text on both databases, read and written whole by the backend's
//! `surveys::counters`); the group's response count is a column of its own, so counting
//! responses needs no parsing.
//!
//! Existing counters are folded into tallies here, so no count is lost.

use std::collections::BTreeMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::prelude::Uuid;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SurveyCounts {
    Table,
}

#[derive(DeriveIden)]
enum SurveyTallies {
    Table,
    SurveyId,
    QuarterKey,
    AgeBand,
    Channel,
    Responses,
    Counts,
}

/// The question key of the per-day counters (as `surveys::stored::DAY`).
const DAY: &str = "#day";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SurveyTallies::Table)
                    .col(uuid(SurveyTallies::SurveyId))
                    .col(string_len(SurveyTallies::QuarterKey, 36))
                    .col(string_len(SurveyTallies::AgeBand, 16))
                    .col(string_len(SurveyTallies::Channel, 16))
                    .col(big_integer(SurveyTallies::Responses))
                    .col(text(SurveyTallies::Counts))
                    .primary_key(
                        Index::create()
                            .col(SurveyTallies::SurveyId)
                            .col(SurveyTallies::QuarterKey)
                            .col(SurveyTallies::AgeBand)
                            .col(SurveyTallies::Channel),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SurveyTallies::Table, SurveyTallies::SurveyId)
                            .to(Surveys::Table, Surveys::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Fold the old counters: per group, {question: {choice: [n, total, min, max]}}.
        let conn = manager.get_connection();
        let backend = manager.get_database_backend();
        type Cells = BTreeMap<String, BTreeMap<String, serde_json::Value>>;
        let mut groups: BTreeMap<(Uuid, String, String, String), (i64, Cells)> = BTreeMap::new();
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                r#"SELECT "survey_id", "question", "choice", "quarter_key",
                    "age_band", "channel", "n", "total", "min_value", "max_value"
                FROM "survey_counts""#,
            ))
            .await?;
        for row in rows {
            let key = (
                row.try_get::<Uuid>("", "survey_id")?,
                row.try_get::<String>("", "quarter_key")?,
                row.try_get::<String>("", "age_band")?,
                row.try_get::<String>("", "channel")?,
            );
            let question: String = row.try_get("", "question")?;
            let choice: String = row.try_get("", "choice")?;
            let n: i64 = row.try_get("", "n")?;
            let cell = serde_json::json!([
                n,
                row.try_get::<f64>("", "total")?,
                row.try_get::<Option<f64>>("", "min_value")?,
                row.try_get::<Option<f64>>("", "max_value")?,
            ]);
            let group = groups.entry(key).or_default();
            if question == DAY {
                group.0 += n;
            }
            group.1.entry(question).or_default().insert(choice, cell);
        }
        for ((survey, quarter, band, channel), (responses, cells)) in groups {
            let counts = serde_json::to_string(&cells)
                .map_err(|e| DbErr::Custom(format!("tally of survey {survey}: {e}")))?;
            let placeholders = match backend {
                DbBackend::Postgres => "$1, $2, $3, $4, $5, $6",
                _ => "?, ?, ?, ?, ?, ?",
            };
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    r#"INSERT INTO "survey_tallies" ("survey_id", "quarter_key", "age_band",
                        "channel", "responses", "counts") VALUES ({placeholders})"#
                ),
                [
                    survey.into(),
                    quarter.into(),
                    band.into(),
                    channel.into(),
                    responses.into(),
                    counts.into(),
                ],
            ))
            .await?;
        }
        manager
            .drop_table(Table::drop().table(SurveyCounts::Table).to_owned())
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "survey tallies cannot be split back into per-answer counters".into(),
        ))
    }
}
