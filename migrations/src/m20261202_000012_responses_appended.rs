//! On SQLite, responses are appended in the order they arrive, and a maintenance job
//! shuffles each anonymous survey's day (`backend/src/surveys/anonymity.rs`).
//!
//! Until now the table was `WITHOUT ROWID`, keyed by the client's random key, so the
//! file never held the order of arrival. But every response then landed on a random
//! page and, at ~1.5 KB, did not fit in the cell such a table allows on a 4 KB page,
//! so each one also wrote an overflow page. Measured with the same 32-row group commit
//! (Python's `sqlite3`, `synchronous=FULL`, 100,000 rows already stored): 2,700 rows/s
//! `WITHOUT ROWID` against 7,800 appended with a unique index on the key. The key stays
//! unique (idempotency), and `seq` orders the rows: `AUTOINCREMENT`, so a new response
//! always gets a `seq` above any there was, and `survey_responses_mixed.upto` says up
//! to where the job has shuffled.
//!
//! The rows are copied in the old table's order (the random keys'), so no day needs
//! shuffling afterwards. PostgreSQL's table is unchanged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &str = r#""id", "survey_id", "version", "channel", "quarter_id", "age_band", "user_id", "entered_by", "answers", "submitted_at""#;

/// The columns after the key, as both layouts declare them.
const DATA_COLUMNS: &str = r#""survey_id" uuid_text NOT NULL REFERENCES "surveys" ("id") ON DELETE CASCADE,
    "version" integer NOT NULL,
    "channel" varchar(16) NOT NULL,
    "quarter_id" uuid_text NULL REFERENCES "quarters" ("id") ON DELETE SET NULL,
    "age_band" varchar(16) NULL,
    "user_id" uuid_text NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "entered_by" uuid_text NULL REFERENCES "users" ("id") ON DELETE SET NULL,
    "answers" json_text NOT NULL,
    "submitted_at" timestamp_with_timezone_text NOT NULL"#;

/// Appended: `seq` orders the file, the key is unique.
fn appended() -> String {
    format!(
        r#"CREATE TABLE "survey_responses_appended" (
    "seq" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    "id" uuid_text NOT NULL UNIQUE,
    {DATA_COLUMNS}
)"#
    )
}

/// In key order, as migration 000003 made it.
fn keyed() -> String {
    format!(
        r#"CREATE TABLE "survey_responses_keyed" (
    "id" uuid_text NOT NULL PRIMARY KEY,
    {DATA_COLUMNS}
) WITHOUT ROWID"#
    )
}

/// Replaces `survey_responses` by `new` (created by `create`), copying every row, and
/// puts the indexes back.
async fn rebuild(manager: &SchemaManager<'_>, new: &str, create: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(create).await?;
    db.execute_unprepared(&format!(
        r#"INSERT INTO "{new}" ({COLUMNS}) SELECT {COLUMNS} FROM "survey_responses""#
    ))
    .await?;
    db.execute_unprepared(r#"DROP TABLE "survey_responses""#)
        .await?;
    db.execute_unprepared(&format!(
        r#"ALTER TABLE "{new}" RENAME TO "survey_responses""#
    ))
    .await?;
    db.execute_unprepared(
        r#"CREATE INDEX "survey_responses_survey_at_idx" ON "survey_responses" ("survey_id", "submitted_at")"#,
    )
    .await?;
    db.execute_unprepared(
        r#"CREATE INDEX "survey_responses_by_user" ON "survey_responses" ("user_id") WHERE "user_id" IS NOT NULL"#,
    )
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        rebuild(manager, "survey_responses_appended", &appended()).await?;
        let db = manager.get_connection();
        db.execute_unprepared(r#"CREATE TABLE "survey_responses_mixed" ("upto" integer NOT NULL)"#)
            .await?;
        db.execute_unprepared(
            r#"INSERT INTO "survey_responses_mixed" ("upto")
               SELECT coalesce(max("seq"), 0) FROM "survey_responses""#,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(r#"DROP TABLE "survey_responses_mixed""#)
            .await?;
        rebuild(manager, "survey_responses_keyed", &keyed()).await
    }
}
