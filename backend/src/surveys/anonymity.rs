//! What the database itself could tell about an anonymous response (ARCHITECTURE.md,
//! "Anonymous means anonymous").
//!
//! A batch writes each response together with its ticket — the letter's code
//! (`access_codes.redeemed_at`) or the signed-in person's participation — in one
//! transaction, so the single-use rule and the response cannot come apart. On
//! PostgreSQL every row keeps the id of the transaction that wrote it (`xmin`,
//! readable with `SELECT xmin`): a code's row and its anonymous response would share
//! it, and the office's mail-merge file says which address got which code. [`mix`]
//! ends that link: a survey's day (the day an anonymous response keeps) with a
//! response from a batch of fewer than [`MIX_BELOW`] is rewritten in one transaction,
//! so all of that day's responses share one `xmin`, which no code or participant row
//! has. A batch then narrows a response no further than its day does. The old row
//! versions are invisible to SQL and go with the next vacuum.
//!
//! SQLite has no such column, but two other things keep the order of arrival. Its
//! table stores rows in the order of `seq`, which counts up as responses arrive (an
//! append is several times cheaper than a write at a random place): [`mix`] moves each
//! anonymous survey's day that got new responses since its last run to the table's end
//! in a random order, so the file keeps no order within a day. And its write-ahead log
//! holds one commit's pages (the code's and the response's) together until they are
//! overwritten: [`mix`] then checkpoints and truncates it.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use shared::DatabaseKind;
use time::OffsetDateTime;

use crate::db::Db;
use crate::error::ApiError;

/// A batch of fewer anonymous responses than this narrows each of them too far (the
/// same threshold as results' small-group suppression).
pub const MIX_BELOW: i64 = 5;
/// How often [`mix`] runs (`maintenance.rs`).
pub const MIX_EVERY: Duration = Duration::from_secs(10 * 60);
/// After its first run, [`mix`] looks at this many recent days: older days were mixed
/// then, and no response is written into a past day.
pub const MIX_DAYS: time::Duration = time::Duration::days(2);

/// Rewrites, on PostgreSQL, every anonymous survey's day (from `since` on, or all)
/// that holds responses of more than one transaction, one of them with fewer than
/// [`MIX_BELOW`] responses: in one statement, so they all get its `xmin`. On SQLite
/// (where `since` is not needed: the table knows what came since the last run) it
/// shuffles every anonymous survey's day that got new responses ([`shuffle`]), then
/// checkpoints the write-ahead log. Returns the responses rewritten.
pub async fn mix(db: &Db, since: Option<OffsetDateTime>) -> Result<u64, ApiError> {
    if db.kind() == DatabaseKind::Sqlite {
        let rewritten = shuffle(db).await?;
        db.checkpoint().await?;
        return Ok(rewritten);
    }
    let since = since.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    // `SET id = id` writes a new version of each row (PostgreSQL does not skip an
    // update that changes nothing), with this statement's transaction as its `xmin`.
    let rewritten = db
        .writer()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE survey_responses r SET id = r.id
             FROM (
                 SELECT survey_id, submitted_at FROM (
                     SELECT b.survey_id, b.submitted_at, count(*) AS n
                     FROM survey_responses b JOIN surveys s ON s.id = b.survey_id
                     WHERE s.anonymous AND b.submitted_at >= $2
                     GROUP BY b.survey_id, b.submitted_at, b.xmin::text
                 ) batches
                 GROUP BY survey_id, submitted_at
                 HAVING count(*) > 1 AND min(n) < $1
             ) days
             WHERE r.survey_id = days.survey_id AND r.submitted_at = days.submitted_at",
            [MIX_BELOW.into(), since.into()],
        ))
        .await?
        .rows_affected();
    Ok(rewritten)
}

/// SQLite: gives every anonymous survey's day that holds a response newer than the last
/// run (`seq` above `survey_responses_mixed.upto`) new `seq`s past the table's end, in
/// a random order, so that day's rows lie together in no order of arrival. Its rows
/// are moved, not copied: `secure_delete` zeroes where they were. One transaction on
/// the writer, so responses arriving meanwhile wait for it and come after.
async fn shuffle(db: &Db) -> Result<u64, ApiError> {
    let sqlite = |sql: &str, values: Vec<sea_orm::Value>| {
        Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
    };
    let txn = db.begin_write().await?;
    // `UPDATE … FROM` moves each row once, to a `seq` past every row there is: the
    // days one after another, each day's rows in a random order.
    let rewritten = txn
        .execute_raw(sqlite(
            r#"UPDATE "survey_responses" SET "seq" = m."top" + m."place"
               FROM (
                   SELECT r."seq" AS "was",
                       row_number() OVER (ORDER BY r."survey_id", r."submitted_at", random()) AS "place",
                       (SELECT max("seq") FROM "survey_responses") AS "top"
                   FROM "survey_responses" r JOIN (
                       SELECT DISTINCT n."survey_id", n."submitted_at"
                       FROM "survey_responses" n JOIN "surveys" s ON s."id" = n."survey_id"
                       WHERE s."anonymous"
                           AND n."seq" > (SELECT "upto" FROM "survey_responses_mixed")
                   ) d ON d."survey_id" = r."survey_id" AND d."submitted_at" = r."submitted_at"
               ) m
               WHERE "survey_responses"."seq" = m."was""#,
            vec![],
        ))
        .await?
        .rows_affected();
    txn.execute_raw(sqlite(
        r#"UPDATE "survey_responses_mixed"
           SET "upto" = coalesce((SELECT max("seq") FROM "survey_responses"), "upto")"#,
        vec![],
    ))
    .await?;
    txn.commit().await?;
    Ok(rewritten)
}
