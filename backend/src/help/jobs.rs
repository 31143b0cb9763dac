//! Help's work on a timer: requests whose window passed unmatched expire, requests nobody
//! has taken for a while are flagged to the quarter's managers, and the telephone number
//! of someone who phoned in is erased 30 days after their request ended.
//!
//! Every server instance runs the sweep; each request is still handled once. The sweep
//! is one write transaction: on PostgreSQL it picks its rows `FOR UPDATE SKIP LOCKED`, so
//! a second instance sweeping at the same moment skips them and, once the first has
//! committed, no longer finds them (read committed: each statement sees the committed
//! state). SQLite has one writer, which serialises the sweeps. Each change is also a
//! conditional `UPDATE`, and its events and notifications are written in the same
//! transaction: a request expires once, and its people are told once.

use std::time::Duration;

use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use shared::help::{HelpEvent, HelpStatus};
use time::OffsetDateTime;

use super::notify::{self, Step};
use super::requests::berlin_date;
use crate::db::Db;
use crate::entities::help_request;
use crate::error::ApiError;

/// How often the sweep runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(5 * 60);
/// Days after a request ended that a phoned-in caller's number is kept.
const CALLER_PHONE_KEPT_DAYS: i64 = 30;

/// What one sweep changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub expired: u64,
    pub flagged: u64,
    pub phones_erased: u64,
}

fn statuses(list: &[HelpStatus]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

/// Runs the sweep as of `now`; open requests older than `flag_after` are flagged.
pub async fn sweep(
    db: &Db,
    now: OffsetDateTime,
    flag_after: time::Duration,
) -> Result<Swept, ApiError> {
    let waiting = [HelpStatus::Open, HelpStatus::Proposed];
    let today = berlin_date(now).to_string();
    let mut swept = Swept::default();
    let txn = db.begin_write().await?;

    // The window's last day has passed and nobody agreed to come.
    let due = help_request::Entity::find()
        .filter(help_request::Column::Status.is_in(statuses(&waiting)))
        .filter(help_request::Column::LastDay.lt(today))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await?;
    for row in &due {
        let changed = help_request::Entity::update_many()
            .col_expr(
                help_request::Column::Status,
                Expr::value(HelpStatus::Expired.as_str()),
            )
            .col_expr(help_request::Column::UpdatedAt, Expr::value(now))
            .filter(help_request::Column::Id.eq(row.id))
            .filter(help_request::Column::Status.is_in(statuses(&waiting)))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 1 {
            notify::record(&txn, Step::of(row, HelpEvent::Expired, None), now).await?;
            swept.expired += 1;
        }
    }

    // Open for longer than `flag_after` and not flagged yet.
    let stale = help_request::Entity::find()
        .filter(help_request::Column::Status.eq(HelpStatus::Open.as_str()))
        .filter(help_request::Column::FlaggedAt.is_null())
        .filter(help_request::Column::CreatedAt.lte(now - flag_after))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await?;
    for row in &stale {
        let changed = help_request::Entity::update_many()
            .col_expr(help_request::Column::FlaggedAt, Expr::value(Some(now)))
            .filter(help_request::Column::Id.eq(row.id))
            .filter(help_request::Column::FlaggedAt.is_null())
            .filter(help_request::Column::Status.eq(HelpStatus::Open.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 1 {
            notify::record(&txn, Step::of(row, HelpEvent::Flagged, None), now).await?;
            swept.flagged += 1;
        }
    }

    // A caller's number is needed while their request runs, not for ever.
    let ended = [HelpStatus::Done, HelpStatus::Cancelled, HelpStatus::Expired];
    swept.phones_erased = help_request::Entity::update_many()
        .col_expr(
            help_request::Column::CallerPhone,
            Expr::value(Option::<String>::None),
        )
        .filter(help_request::Column::CallerPhone.is_not_null())
        .filter(help_request::Column::Status.is_in(statuses(&ended)))
        .filter(
            help_request::Column::UpdatedAt.lte(now - time::Duration::days(CALLER_PHONE_KEPT_DAYS)),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(swept)
}
