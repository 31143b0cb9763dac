//! Ranked suggestions for one request.

use time::Weekday;

use crate::model::{QuarterId, Request, Volunteer, VolunteerId};
use crate::score::{Query, Reason, fairness_points};

/// One volunteer proposed for a request, with the reasons to show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Suggestion {
    pub volunteer: VolunteerId,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// The best `limit` volunteers for the request, best first (equal scores by volunteer id,
/// so the order is stable). Only volunteers meeting every hard constraint appear.
///
/// Looks at every volunteer; for several requests against the same volunteers, a
/// [`Pool`] answers the same much faster.
pub fn suggest(request: &Request, volunteers: &[Volunteer], limit: usize) -> Vec<Suggestion> {
    rank(&Query::new(request), volunteers, 0..volunteers.len(), limit)
}

/// Volunteers prepared for many [`Pool::suggest`] calls, e.g. the suggestions beside every
/// open request on a manager's board, or kept while no offer changes.
///
/// Reading 100,000 volunteers' records and their lists takes a few milliseconds of memory
/// traffic per request; the pool keeps 16 bytes per volunteer that rule out almost all of
/// them (category, quarter, weekday, open for tasks) before any record is read.
pub struct Pool<'a> {
    volunteers: &'a [Volunteer],
    summaries: Vec<Summary>,
}

#[derive(Clone, Copy)]
struct Summary {
    /// One bit per quarter served (a hash of the id: other quarters may share a bit).
    quarters: u64,
    /// No bits for a volunteer who cannot take a task (unverified, paused, at the limit).
    categories: u16,
    weekdays: u8,
}

impl<'a> Pool<'a> {
    pub fn new(volunteers: &'a [Volunteer]) -> Pool<'a> {
        let summaries = volunteers
            .iter()
            .map(|v| {
                let open = v.verified && !v.paused && v.remaining_capacity() > 0;
                Summary {
                    quarters: v.quarters_served.iter().fold(0, |m, q| m | quarter_bit(*q)),
                    categories: if open { v.categories.bits() } else { 0 },
                    weekdays: v
                        .availability
                        .iter()
                        .fold(0, |m, s| m | weekday_bit(s.weekday)),
                }
            })
            .collect();
        Pool {
            volunteers,
            summaries,
        }
    }

    /// The same answer as [`suggest`] over the pool's volunteers.
    pub fn suggest(&self, request: &Request, limit: usize) -> Vec<Suggestion> {
        let query = Query::new(request);
        let category = request.category.bit();
        let quarter = quarter_bit(request.quarter);
        let weekdays = query.weekdays().fold(0, |m, d| m | weekday_bit(d));
        // `&` rather than `&&`: no branch per test in a loop over every volunteer.
        let candidates = self
            .summaries
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                (s.categories & category != 0)
                    & (s.quarters & quarter != 0)
                    & (s.weekdays & weekdays != 0)
            })
            .map(|(i, _)| i);
        rank(&query, self.volunteers, candidates, limit)
    }
}

fn quarter_bit(quarter: QuarterId) -> u64 {
    let id = quarter.0.as_u128();
    // Fold the id and take the top six bits of a Fibonacci hash: UUIDs differ in their
    // low (v4, v7 random) or high (v7 time) bits, and both reach the top.
    let folded = (id as u64) ^ ((id >> 64) as u64);
    1 << (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.number_days_from_monday()
}

/// The best `limit` of the given volunteers that fit, best first, with their reasons.
fn rank(
    query: &Query<'_>,
    volunteers: &[Volunteer],
    candidates: impl Iterator<Item = usize>,
    limit: usize,
) -> Vec<Suggestion> {
    // Scores first, reasons only for the few that are shown.
    let mut ranked: Vec<(u32, VolunteerId, usize)> = candidates
        .filter_map(|i| {
            let v = &volunteers[i];
            let fit = query.assess(v)?;
            Some((fit.points() + fairness_points(v.tasks_this_week), v.id, i))
        })
        .collect();
    let order = |a: &(u32, VolunteerId, usize), b: &(u32, VolunteerId, usize)| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1))
    };
    if limit < ranked.len() {
        if limit == 0 {
            return Vec::new();
        }
        ranked.select_nth_unstable_by(limit - 1, order);
        ranked.truncate(limit);
    }
    ranked.sort_unstable_by(order);
    ranked
        .into_iter()
        .filter_map(|(score, id, i)| {
            let v = &volunteers[i];
            let fit = query.assess(v)?;
            Some(Suggestion {
                volunteer: id,
                score,
                reasons: fit.reasons(v.tasks_this_week),
            })
        })
        .collect()
}
