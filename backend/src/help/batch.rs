//! The batch proposal: who should take which of the open requests of the caller's
//! quarters, as the matcher's exact optimum under every volunteer's weekly limit, beside
//! what picking the best pair first (greedy) would reach. Proposing the pairs is the
//! workflow's `propose` step, pair by pair.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::help::{
    ApplyBatchDto, ApplyBatchRequest, BatchPairDto, BatchProposalDto, HelpAction, HelpStatus,
};
use uuid::Uuid;

use super::requests::{matcher_request, present, reasons_dto, serving_volunteers};
use super::workflow;
use crate::auth::AuthUser;
use crate::entities::help_request;
use crate::error::ApiError;
use crate::scope::visible_quarters;
use crate::startup::AppState;

/// The most pairs one call may propose.
const MAX_PAIRS: usize = 500;

/// The caller's quarters, or the one asked for (404 when it is not theirs).
async fn quarters(
    state: &AppState,
    me: &AuthUser,
    quarter: Option<Uuid>,
) -> Result<Vec<Uuid>, ApiError> {
    let quarters = visible_quarters(state, me).await?;
    match quarter {
        Some(q) if quarters.contains(&q) => Ok(vec![q]),
        Some(_) => Err(ApiError::NotFound),
        None => Ok(quarters),
    }
}

/// The optimal assignment of the open requests of the caller's quarters.
pub async fn proposal(
    state: &AppState,
    me: &AuthUser,
    quarter: Option<Uuid>,
) -> Result<BatchProposalDto, ApiError> {
    let quarters = quarters(state, me, quarter).await?;
    let conn = state.db.conn();
    let rows = help_request::Entity::find()
        .filter(help_request::Column::QuarterId.is_in(quarters.iter().copied()))
        .filter(help_request::Column::Status.eq(HelpStatus::Open.as_str()))
        .order_by_asc(help_request::Column::LastDay)
        .all(conn)
        .await?;
    let requests = rows
        .iter()
        .map(matcher_request)
        .collect::<Result<Vec<_>, _>>()?;

    let (volunteers, people) = serving_volunteers(state, &quarters).await?;

    let best = matcher::propose(&requests, &volunteers);
    let greedy = matcher::propose_greedy(&requests, &volunteers);
    // Every open request presented at once: the pairs' first, then those left over.
    let order: HashMap<Uuid, usize> = best
        .assignments
        .iter()
        .enumerate()
        .map(|(i, a)| (a.request.0, i))
        .collect();
    let (mut paired, mut left): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|r| order.contains_key(&r.id));
    paired.sort_by_key(|r| order.get(&r.id).copied());
    left.sort_by(|a, b| a.last_day.cmp(&b.last_day));
    let mut shown = present(state, me, &quarters, paired).await?.into_iter();
    let mut pairs = Vec::with_capacity(best.assignments.len());
    for a in best.assignments {
        let Some(request) = shown.next() else {
            break;
        };
        pairs.push(BatchPairDto {
            request,
            volunteer_id: a.volunteer.0,
            display_name: people
                .get(&a.volunteer.0)
                .map(|p| p.display_name.clone())
                .unwrap_or_default(),
            score: a.score,
            reasons: reasons_dto(a.reasons),
        });
    }
    Ok(BatchProposalDto {
        pairs,
        unmatched: present(state, me, &quarters, left).await?,
        total_score: best.total_score,
        greedy_score: greedy.total_score,
        greedy_pairs: u32::try_from(greedy.assignments.len()).unwrap_or(u32::MAX),
    })
}

/// Proposes each pair in turn; a pair whose request has moved on, or whose volunteer no
/// longer fits, is skipped and named.
pub async fn apply(
    state: &AppState,
    me: &AuthUser,
    req: ApplyBatchRequest,
) -> Result<ApplyBatchDto, ApiError> {
    if req.pairs.len() > MAX_PAIRS {
        return Err(ApiError::field("pairs", "too_many"));
    }
    let mut out = ApplyBatchDto {
        proposed: Vec::new(),
        skipped: Vec::new(),
    };
    for pair in req.pairs {
        let step = HelpAction::Propose {
            volunteer_id: pair.volunteer_id,
        };
        match workflow::act(state, me, pair.request_id, step).await {
            Ok(_) => out.proposed.push(pair.request_id),
            Err(ApiError::Conflict(_) | ApiError::Validation(_) | ApiError::NotFound) => {
                out.skipped.push(pair.request_id)
            }
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}
