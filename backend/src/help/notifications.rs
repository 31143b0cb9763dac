//! A person's notifications: what happened to the requests they take part in.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::help::{
    Audience, HelpEvent, HelpWindow, NotificationDto, NotificationsDto, ReadNotificationsRequest,
};
use time::OffsetDateTime;

use super::requests::{parse, stored_json};
use crate::auth::AuthUser;
use crate::entities::{help_request, notification};
use crate::error::ApiError;
use crate::startup::AppState;

/// The most notifications listed at once.
const LISTED: u64 = 50;
/// The most ids one "read" call may name.
const MAX_READ: usize = 200;

/// The newest notifications of the caller and how many are unread.
pub async fn mine(state: &AppState, me: &AuthUser) -> Result<NotificationsDto, ApiError> {
    let conn = state.db.conn();
    let rows = notification::Entity::find()
        .filter(notification::Column::UserId.eq(me.id()))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(LISTED)
        .all(conn)
        .await?;
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(me.id()))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await?;
    let requests: HashMap<_, _> = help_request::Entity::find()
        .filter(help_request::Column::Id.is_in(rows.iter().map(|n| n.request_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(request) = requests.get(&row.request_id) else {
            continue;
        };
        let when: HelpWindow = stored_json("window", &request.window)?;
        items.push(NotificationDto {
            id: row.id,
            event: HelpEvent::parse(&row.event).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("unknown help event {}", row.event))
            })?,
            audience: Audience::parse(&row.audience).ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("unknown audience {}", row.audience))
            })?,
            request_id: row.request_id,
            category: parse("category", &request.category)?,
            when,
            created_at: row.created_at,
            read: row.read_at.is_some(),
        });
    }
    Ok(NotificationsDto {
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
        items,
    })
}

/// Marks the named notifications of the caller read; ids of others' change nothing.
pub async fn read(
    state: &AppState,
    me: &AuthUser,
    req: ReadNotificationsRequest,
) -> Result<(), ApiError> {
    if req.ids.len() > MAX_READ {
        return Err(ApiError::field("ids", "too_many"));
    }
    if req.ids.is_empty() {
        return Ok(());
    }
    let txn = state.db.begin_write().await?;
    notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            Expr::value(Some(OffsetDateTime::now_utc())),
        )
        .filter(notification::Column::UserId.eq(me.id()))
        .filter(notification::Column::Id.is_in(req.ids))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
