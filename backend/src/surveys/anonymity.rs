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
//! SQLite has no such column, but its write-ahead log holds one commit's pages (the
//! code's and the response's) together until they are overwritten: [`mix`] checkpoints
//! and truncates it there.

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
/// [`MIX_BELOW`] responses: in one statement, so they all get its `xmin`. Returns the
/// responses rewritten. On SQLite it checkpoints the write-ahead log and returns 0.
pub async fn mix(db: &Db, since: Option<OffsetDateTime>) -> Result<u64, ApiError> {
    if db.kind() == DatabaseKind::Sqlite {
        db.checkpoint().await?;
        return Ok(0);
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
