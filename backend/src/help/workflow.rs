//! A request's workflow: every step is one conditional `UPDATE … WHERE status IN (…)`,
//! so of two people acting at once exactly one wins and the other gets 409.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use shared::help::{
    CategoryCountDto, HelpAction, HelpCategory, HelpEvent, HelpRequestDto, HelpStatus,
    VolunteerBoardDto,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::notify;
use super::requests::{
    histories, key, matcher_request, matcher_volunteer, parse, present, present_one, reasons_dto,
    status_of, stored_json,
};
use crate::auth::AuthUser;
use crate::entities::{help_request, volunteer_offer, volunteer_quarter};
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

use HelpStatus::{Accepted, Cancelled, Confirmed, Done, Open, Proposed};

/// A verified, unpaused volunteer's offer, with the quarters it serves.
struct Eligible {
    quarters: Vec<Uuid>,
    categories: Vec<HelpCategory>,
}

async fn eligible(state: &AppState, volunteer: Uuid) -> Result<Option<Eligible>, ApiError> {
    let Some(offer) = volunteer_offer::Entity::find_by_id(volunteer)
        .one(state.db.conn())
        .await?
    else {
        return Ok(None);
    };
    if offer.verified_at.is_none() || offer.paused {
        return Ok(None);
    }
    let quarters = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.eq(volunteer))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|r| r.quarter_id)
        .collect();
    let categories = stored_json("categories", &offer.categories)?;
    Ok(Some(Eligible {
        quarters,
        categories,
    }))
}

fn may_take(offer: &Option<Eligible>, row: &help_request::Model) -> Result<bool, ApiError> {
    let category: HelpCategory = parse("category", &row.category)?;
    Ok(offer
        .as_ref()
        .is_some_and(|o| o.quarters.contains(&row.quarter_id) && o.categories.contains(&category)))
}

fn statuses(list: &[HelpStatus]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

/// Takes one step of a request's workflow.
pub async fn act(
    state: &AppState,
    me: &AuthUser,
    id: Uuid,
    action: HelpAction,
) -> Result<HelpRequestDto, ApiError> {
    let row = help_request::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let staff = visible_quarters(state, me).await?.contains(&row.quarter_id);
    let is_resident = row.resident_id == Some(me.id());
    let is_volunteer = row.volunteer_id == Some(me.id());
    let my_offer = eligible(state, me.id()).await?;
    let could_take = may_take(&my_offer, &row)?;
    // Nobody learns of a request they have no part in.
    if !(staff || is_resident || is_volunteer || could_take) {
        return Err(ApiError::NotFound);
    }
    let me_id = me.id();
    let volunteer_col = help_request::Column::VolunteerId;
    // (allowed, from, extra condition, new status, new volunteer)
    let (allowed, from, only_mine, to, volunteer): (
        bool,
        Vec<HelpStatus>,
        bool,
        HelpStatus,
        Option<Option<Uuid>>,
    ) = match &action {
        HelpAction::Propose { volunteer_id } => {
            if staff && !may_take(&eligible(state, *volunteer_id).await?, &row)? {
                return Err(ApiError::field("volunteer_id", "not_eligible"));
            }
            (
                staff,
                vec![Open],
                false,
                Proposed,
                Some(Some(*volunteer_id)),
            )
        }
        HelpAction::Accept => {
            // From open: any volunteer who may take it. From proposed: the one proposed.
            if !could_take {
                return Err(ApiError::Forbidden);
            }
            let from = if is_volunteer && status_of(&row)? == Proposed {
                vec![Proposed]
            } else {
                vec![Open]
            };
            let mine = from == vec![Proposed];
            (true, from, mine, Accepted, Some(Some(me_id)))
        }
        HelpAction::Decline => (
            is_volunteer,
            vec![Proposed, Accepted],
            true,
            Open,
            Some(None),
        ),
        HelpAction::Confirm => (staff || is_resident, vec![Accepted], false, Confirmed, None),
        HelpAction::Done => (
            staff || is_resident || is_volunteer,
            vec![Confirmed],
            false,
            Done,
            None,
        ),
        HelpAction::Cancel => (
            staff || is_resident,
            vec![Open, Proposed, Accepted, Confirmed],
            false,
            Cancelled,
            None,
        ),
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let now = OffsetDateTime::now_utc();
    let mut update = help_request::Entity::update_many()
        .col_expr(help_request::Column::Status, Expr::value(to.as_str()))
        .col_expr(help_request::Column::UpdatedAt, Expr::value(now))
        .filter(help_request::Column::Id.eq(id))
        .filter(help_request::Column::Status.is_in(statuses(&from)));
    if only_mine {
        update = update.filter(volunteer_col.eq(me_id));
    }
    if let Some(v) = volunteer {
        update = update.col_expr(volunteer_col, Expr::value(v));
    }
    if to == Done {
        update = update.col_expr(
            help_request::Column::DoneAt,
            SimpleExpr::from(Expr::value(Some(now))),
        );
    }
    let event = match &action {
        HelpAction::Propose { .. } => HelpEvent::Proposed,
        HelpAction::Accept => HelpEvent::Accepted,
        HelpAction::Decline => HelpEvent::Declined,
        HelpAction::Confirm => HelpEvent::Confirmed,
        HelpAction::Done => HelpEvent::Done,
        HelpAction::Cancel => HelpEvent::Cancelled,
    };
    let txn = state.db.begin_write().await?;
    let changed = update.exec(&txn).await?.rows_affected;
    if changed == 1 {
        // The step and who is told of it stand or fall together.
        let mut step = notify::Step::of(&row, event, Some(me_id));
        if let Some(Some(v)) = volunteer {
            step.volunteer_id = Some(v);
        }
        notify::record(&txn, step, now).await?;
    }
    txn.commit().await?;
    let current = help_request::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    if changed == 0 {
        return Err(ApiError::Conflict(format!(
            "The request is {} now; this step is not possible any more.",
            current.status
        )));
    }
    present_one(state, me, current).await
}

/// What a volunteer sees: open requests they may take (once verified), best first, each
/// with the matcher's reasons why it fits them; and their tasks.
pub async fn volunteer_board(
    state: &AppState,
    me: &AuthUser,
) -> Result<VolunteerBoardDto, ApiError> {
    let offer = volunteer_offer::Entity::find_by_id(me.id())
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let verified = offer.verified_at.is_some();
    let quarters: Vec<Uuid> = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.eq(me.id()))
        .all(state.db.conn())
        .await?
        .into_iter()
        .map(|r| r.quarter_id)
        .collect();
    let categories: Vec<HelpCategory> = stored_json("categories", &offer.categories)?;
    let open_rows = help_request::Entity::find()
        .filter(help_request::Column::QuarterId.is_in(quarters.iter().copied()))
        .filter(help_request::Column::Status.eq(Open.as_str()))
        .filter(help_request::Column::Category.is_in(categories.iter().map(key)))
        .order_by_asc(help_request::Column::LastDay)
        .all(state.db.conn())
        .await?;
    // The matcher decides what fits (the time window against the availability too) and
    // why; unverified volunteers see counts only, so they are not asked.
    let mut fitting = Vec::new();
    if verified && !offer.paused {
        let history = histories(state, &[me.id()]).await?;
        let volunteer = matcher_volunteer(
            &offer,
            quarters.clone(),
            me.user.home_quarter_id,
            history.get(&me.id()),
        )?;
        for row in &open_rows {
            if let Some(s) =
                matcher::suggest(&matcher_request(row)?, std::slice::from_ref(&volunteer), 1).pop()
            {
                fitting.push((row.clone(), s.score, reasons_dto(s.reasons)));
            }
        }
        // Best first; of equals, the earliest last day (the query's order) first.
        fitting.sort_by_key(|(_, score, _)| std::cmp::Reverse(*score));
    }
    let mut open_per_category: Vec<CategoryCountDto> = Vec::new();
    for category in &categories {
        let count = open_rows
            .iter()
            .filter(|r| r.category == key(category))
            .count();
        open_per_category.push(CategoryCountDto {
            category: *category,
            count: u32::try_from(count).unwrap_or(u32::MAX),
        });
    }
    let task_rows = help_request::Entity::find()
        .filter(
            Condition::all()
                .add(help_request::Column::VolunteerId.eq(me.id()))
                .add(
                    help_request::Column::Status
                        .is_in(statuses(&[Proposed, Accepted, Confirmed, Done])),
                ),
        )
        .order_by_asc(help_request::Column::LastDay)
        .all(state.db.conn())
        .await?;
    Ok(VolunteerBoardDto {
        verified,
        open_per_category,
        open: {
            let (rows, reasons): (Vec<_>, Vec<_>) =
                fitting.into_iter().map(|(row, _, r)| (row, r)).unzip();
            let mut open = present(state, me, &[], rows).await?;
            for (dto, reasons) in open.iter_mut().zip(reasons) {
                dto.reasons = reasons;
            }
            open
        },
        tasks: present(state, me, &[], task_rows).await?,
    })
}
