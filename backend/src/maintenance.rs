//! Work the server does on a timer, not on a request: pruning the rate limiters'
//! counters, deleting sessions and codes that can no longer be used, help's sweep
//! (`help::jobs`: expiring, flagging, erasing callers' numbers), and mixing anonymous
//! responses' transactions (`surveys::anonymity`).
//!
//! Every instance runs the timers. The cleanup is plain `DELETE … WHERE` on conditions
//! of time, so two instances running it at once delete each row once between them and
//! neither fails (on PostgreSQL the second waits for the first's row locks, then finds
//! nothing left); no coordination is needed. Mixing run by two instances at once
//! rewrites a day twice at worst.

use std::sync::Weak;
use std::time::Duration;

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use crate::auth::limits::PRUNE_EVERY;
use crate::db::Db;
use crate::entities::{invitation, refresh_token, reset_code};
use crate::error::ApiError;
use crate::startup::AppState;

/// How often expired sessions and spent codes are deleted.
pub const CLEANUP_EVERY: Duration = Duration::from_secs(60 * 60);
/// A revoked session's tokens stay this long (what a support question may need), then go.
const KEEP_REVOKED: time::Duration = time::Duration::days(1);

/// Rows deleted by one `cleanup`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cleaned {
    pub refresh_tokens: u64,
    pub reset_codes: u64,
    pub invitations: u64,
}

/// Deletes what can no longer be used: refresh tokens past their expiry or revoked more
/// than a day ago, reset codes used or expired, invitations accepted or expired.
/// Used but unexpired refresh tokens of a live session stay: presenting one again is how
/// a stolen token is noticed (the family is then revoked).
pub async fn cleanup(db: &Db) -> Result<Cleaned, ApiError> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin_write().await?;
    let refresh_tokens = refresh_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(refresh_token::Column::ExpiresAt.lte(now))
                .add(refresh_token::Column::RevokedAt.lte(now - KEEP_REVOKED)),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    let reset_codes = reset_code::Entity::delete_many()
        .filter(
            Condition::any()
                .add(reset_code::Column::UsedAt.is_not_null())
                .add(reset_code::Column::ExpiresAt.lte(now)),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    let invitations = invitation::Entity::delete_many()
        .filter(
            Condition::any()
                .add(invitation::Column::AcceptedAt.is_not_null())
                .add(invitation::Column::ExpiresAt.lte(now)),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(Cleaned {
        refresh_tokens,
        reset_codes,
        invitations,
    })
}

/// Starts the timers; each ends once the server's state is gone.
pub fn start(state: Weak<AppState>) {
    let limits = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(state) = limits.upgrade() else { break };
            state.limits.prune();
        }
    });
    let help = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(crate::help::jobs::SWEEP_EVERY);
        loop {
            tick.tick().await;
            let Some((db, hours)) = help
                .upgrade()
                .map(|s| (s.db.clone(), s.settings.help_flag_after_hours))
            else {
                break;
            };
            let flag_after = time::Duration::hours(i64::from(hours));
            match crate::help::jobs::sweep(&db, OffsetDateTime::now_utc(), flag_after).await {
                Ok(swept) if swept == Default::default() => {}
                Ok(swept) => tracing::info!(?swept, "help sweep"),
                Err(error) => tracing::warn!(?error, "help sweep failed; trying again later"),
            }
        }
    });
    let mixing = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(crate::surveys::anonymity::MIX_EVERY);
        // The first run, at once, looks at every day; later ones at the last few.
        let mut since = None;
        loop {
            tick.tick().await;
            let Some(db) = mixing.upgrade().map(|s| s.db.clone()) else {
                break;
            };
            let started = OffsetDateTime::now_utc();
            match crate::surveys::anonymity::mix(&db, since).await {
                Ok(0) => {}
                Ok(responses) => tracing::info!(responses, "anonymous responses mixed"),
                Err(error) => {
                    tracing::warn!(
                        ?error,
                        "mixing anonymous responses failed; trying again later"
                    );
                    continue;
                }
            }
            since = Some(started - crate::surveys::anonymity::MIX_DAYS);
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CLEANUP_EVERY);
        loop {
            // The first tick is at once: a server started after a long pause cleans up.
            tick.tick().await;
            let Some(db) = state.upgrade().map(|s| s.db.clone()) else {
                break;
            };
            match cleanup(&db).await {
                Ok(cleaned) => tracing::info!(?cleaned, "cleanup"),
                Err(error) => tracing::warn!(?error, "cleanup failed; trying again later"),
            }
        }
    });
}
