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

use super::requests::{histories, matcher_request, matcher_volunteer, present, reasons_dto};
use super::workflow;
use crate::auth::AuthUser;
use crate::entities::{help_request, user, volunteer_offer, volunteer_quarter};
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

    // Everyone serving one of these quarters; the matcher checks the rest.
    let mut served: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let serving: Vec<Uuid> = volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::QuarterId.is_in(quarters.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    for r in volunteer_quarter::Entity::find()
        .filter(volunteer_quarter::Column::UserId.is_in(serving.iter().copied()))
        .all(conn)
        .await?
    {
        served.entry(r.user_id).or_default().push(r.quarter_id);
    }
    let offers = volunteer_offer::Entity::find()
        .filter(volunteer_offer::Column::UserId.is_in(serving.iter().copied()))
        .all(conn)
        .await?;
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(serving.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let histories = histories(state, &serving).await?;
    let mut volunteers = Vec::with_capacity(offers.len());
    for offer in &offers {
        volunteers.push(matcher_volunteer(
            offer,
            served.remove(&offer.user_id).unwrap_or_default(),
            people.get(&offer.user_id).and_then(|p| p.home_quarter_id),
            histories.get(&offer.user_id),
        )?);
    }

    let best = matcher::propose(&requests, &volunteers);
    let greedy = matcher::propose_greedy(&requests, &volunteers);
    let mut by_id: HashMap<Uuid, help_request::Model> =
        rows.into_iter().map(|r| (r.id, r)).collect();
    let mut pairs = Vec::with_capacity(best.assignments.len());
    for a in best.assignments {
        let Some(row) = by_id.remove(&a.request.0) else {
            continue;
        };
        let request = present(state, me, &quarters, vec![row])
            .await?
            .pop()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no request presented")))?;
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
    let mut left: Vec<help_request::Model> = by_id.into_values().collect();
    left.sort_by(|a, b| a.last_day.cmp(&b.last_day));
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
