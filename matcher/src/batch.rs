//! A proposal for all open requests at once: the assignment with the highest total score
//! (each request at most one volunteer, each volunteer at most their remaining weekly
//! tasks), and the greedy one a person would make, to compare.

use std::collections::HashMap;

use crate::assign::{Instance, solve};
use crate::model::{Category, QuarterId, Request, RequestId, Volunteer, VolunteerId};
use crate::score::{Fit, Query, Reason, assess, fairness_points};

/// One request given to one volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Assignment {
    pub request: RequestId,
    pub volunteer: VolunteerId,
    /// The pair's points plus the load points for the volunteer's task count at this
    /// assignment (their earlier tasks this week plus those before it in this proposal).
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// Assignments in request order, the requests left without a volunteer, and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Proposal {
    pub assignments: Vec<Assignment>,
    pub unmatched: Vec<RequestId>,
    pub total_score: u64,
}

/// Eligible pairs only: everything a solver may choose from.
struct Candidates {
    offsets: Vec<usize>,
    edges: Vec<(u32, i64)>,
    /// Indices into the caller's volunteer slice, for `edges[..].0`.
    volunteers: Vec<usize>,
}

impl Candidates {
    fn build(requests: &[Request], volunteers: &[Volunteer]) -> Candidates {
        // Only volunteers who can take anything, bucketed by category and quarter served:
        // a request looks at a few hundred instead of all of them.
        let mut active: Vec<usize> = Vec::new();
        let mut buckets: HashMap<(Category, QuarterId), Vec<u32>> = HashMap::new();
        for (i, v) in volunteers.iter().enumerate() {
            if v.verified && !v.paused && v.remaining_capacity() > 0 {
                // One entry per volunteer: a u32 index while there are fewer than 4 billion.
                let local = active.len() as u32;
                active.push(i);
                for c in v.categories.iter() {
                    for q in &v.quarters_served {
                        let bucket = buckets.entry((c, *q)).or_default();
                        // A quarter listed twice must not make the pair twice.
                        if bucket.last() != Some(&local) {
                            bucket.push(local);
                        }
                    }
                }
            }
        }
        let mut offsets = Vec::with_capacity(requests.len() + 1);
        offsets.push(0);
        let mut edges = Vec::new();
        for r in requests {
            let query = Query::new(r);
            for &l in buckets.get(&(r.category, r.quarter)).into_iter().flatten() {
                if let Some(fit) = query.assess(&volunteers[active[l as usize]]) {
                    edges.push((l, i64::from(fit.points())));
                }
            }
            offsets.push(edges.len());
        }
        Candidates {
            offsets,
            edges,
            volunteers: active,
        }
    }

    fn of(&self, r: usize) -> &[(u32, i64)] {
        &self.edges[self.offsets[r]..self.offsets[r + 1]]
    }
}

/// The proposal with the highest total score: exact, by min-cost flow over the eligible
/// pairs (see `assign.rs`). A volunteer's k-th task in the proposal counts the load points
/// of their k-th task this week, so the optimum also spreads the work.
pub fn propose(requests: &[Request], volunteers: &[Volunteer]) -> Proposal {
    let candidates = Candidates::build(requests, volunteers);
    let mut slot_offsets = Vec::with_capacity(candidates.volunteers.len() + 1);
    slot_offsets.push(0);
    let mut slot_gains = Vec::new();
    for &i in &candidates.volunteers {
        let v = &volunteers[i];
        for k in v.tasks_this_week..v.max_tasks_per_week {
            slot_gains.push(i64::from(fairness_points(k)));
        }
        slot_offsets.push(slot_gains.len());
    }
    let chosen = solve(&Instance {
        offsets: &candidates.offsets,
        edges: &candidates.edges,
        slot_offsets: &slot_offsets,
        slot_gains: &slot_gains,
    });
    let chosen: Vec<Option<usize>> = chosen
        .into_iter()
        .map(|l| l.map(|l| candidates.volunteers[l as usize]))
        .collect();
    proposal(requests, volunteers, &chosen)
}

/// The greedy proposal, as from a spreadsheet: requests in the given order, each to its
/// best volunteer with room left. Shown next to [`propose`] to say what the optimum gains.
pub fn propose_greedy(requests: &[Request], volunteers: &[Volunteer]) -> Proposal {
    let candidates = Candidates::build(requests, volunteers);
    let mut taken = vec![0u8; candidates.volunteers.len()];
    let chosen: Vec<Option<usize>> = (0..requests.len())
        .map(|r| {
            let best = candidates
                .of(r)
                .iter()
                .filter_map(|&(l, points)| {
                    let v = &volunteers[candidates.volunteers[l as usize]];
                    let tasks = v.tasks_this_week.saturating_add(taken[l as usize]);
                    (tasks < v.max_tasks_per_week)
                        .then(|| (points + i64::from(fairness_points(tasks)), l))
                })
                // Highest score; on a tie the first volunteer, as `suggest` does not promise.
                .min_by_key(|&(score, l)| (-score, l))?;
            taken[best.1 as usize] += 1;
            Some(candidates.volunteers[best.1 as usize])
        })
        .collect();
    proposal(requests, volunteers, &chosen)
}

/// Scores a choice (volunteer index per request) the way both proposals are judged.
fn proposal(requests: &[Request], volunteers: &[Volunteer], chosen: &[Option<usize>]) -> Proposal {
    let mut taken = vec![0u8; volunteers.len()];
    let mut assignments = Vec::new();
    let mut unmatched = Vec::new();
    let mut total_score = 0u64;
    for (r, choice) in requests.iter().zip(chosen) {
        let fitted = choice.and_then(|i| Some((i, assess(r, &volunteers[i])?)));
        let Some((i, fit)) = fitted else {
            unmatched.push(r.id);
            continue;
        };
        let v = &volunteers[i];
        let tasks = v.tasks_this_week.saturating_add(taken[i]);
        taken[i] += 1;
        let score = score_at(&fit, tasks);
        total_score += u64::from(score);
        assignments.push(Assignment {
            request: r.id,
            volunteer: v.id,
            score,
            reasons: fit.reasons(tasks),
        });
    }
    Proposal {
        assignments,
        unmatched,
        total_score,
    }
}

fn score_at(fit: &Fit, tasks_this_week: u8) -> u32 {
    fit.points() + fairness_points(tasks_this_week)
}

#[cfg(test)]
mod tests {
    use time::Weekday;
    use time::macros::date;
    use uuid::Uuid;

    use super::*;
    use crate::model::*;

    fn volunteer(n: u128, categories: &[Category], max: u8, home: bool) -> Volunteer {
        Volunteer {
            id: VolunteerId(Uuid::from_u128(n)),
            categories: categories.iter().copied().collect(),
            availability: vec![WeeklySlot {
                weekday: Weekday::Tuesday,
                time: TimeRange::hours(8, 18),
            }],
            quarters_served: vec![QuarterId(Uuid::from_u128(1))],
            home_quarter: home.then_some(QuarterId(Uuid::from_u128(1))),
            max_tasks_per_week: max,
            tasks_this_week: 0,
            verified: true,
            paused: false,
            reliability_percent: 100,
            helped_before: Vec::new(),
        }
    }

    fn request(n: u128, category: Category) -> Request {
        Request {
            id: RequestId(Uuid::from_u128(n)),
            resident: ResidentId(Uuid::from_u128(n)),
            category,
            quarter: QuarterId(Uuid::from_u128(1)),
            window: TimeWindow::At {
                date: date!(2026 - 12 - 01),
                time: TimeRange::hours(10, 12),
            },
            urgency: Urgency::Normal,
        }
    }

    /// Anna does shopping and paperwork and lives in the quarter, so she is everyone's
    /// first choice; Ben only does shopping. Greedy gives Anna the shopping request that
    /// comes first and has nobody left for the paperwork; the optimum sends Ben shopping.
    #[test]
    fn greedy_gives_away_the_only_volunteer_a_later_request_needed() {
        let anna = volunteer(1, &[Category::Shopping, Category::Paperwork], 1, true);
        let ben = volunteer(2, &[Category::Shopping], 1, false);
        let volunteers = [anna.clone(), ben.clone()];
        let requests = [
            request(10, Category::Shopping),
            request(11, Category::Paperwork),
        ];

        let greedy = propose_greedy(&requests, &volunteers);
        assert_eq!(greedy.assignments.len(), 1);
        assert_eq!(greedy.assignments[0].volunteer, anna.id);
        assert_eq!(greedy.unmatched, vec![requests[1].id]);

        let best = propose(&requests, &volunteers);
        let pairs: Vec<_> = best
            .assignments
            .iter()
            .map(|a| (a.request, a.volunteer))
            .collect();
        assert_eq!(
            pairs,
            vec![(requests[0].id, ben.id), (requests[1].id, anna.id)]
        );
        assert!(best.unmatched.is_empty());
        assert!(best.total_score > greedy.total_score);
        // 100 base + 25 normal urgency + 40 reliability + 40 first task, plus 30 for Anna's quarter.
        assert_eq!(greedy.total_score, 235);
        assert_eq!(best.total_score, 205 + 235);
    }

    #[test]
    fn load_points_fall_within_one_proposal() {
        let mut anna = volunteer(1, &[Category::Shopping], 3, false);
        anna.tasks_this_week = 1;
        let requests = [
            request(10, Category::Shopping),
            request(11, Category::Shopping),
        ];
        let best = propose(&requests, &[anna]);
        let tasks: Vec<Vec<Reason>> = best
            .assignments
            .iter()
            .map(|a| {
                a.reasons
                    .iter()
                    .copied()
                    .filter(|r| matches!(r, Reason::TasksThisWeek(_)))
                    .collect()
            })
            .collect();
        assert_eq!(
            tasks,
            vec![
                vec![Reason::TasksThisWeek(1)],
                vec![Reason::TasksThisWeek(2)]
            ]
        );
        assert_eq!(best.assignments[0].score - best.assignments[1].score, 10);
    }

    #[test]
    fn the_optimum_spreads_work_when_scores_are_otherwise_equal() {
        let volunteers = [
            volunteer(1, &[Category::Shopping], 2, false),
            volunteer(2, &[Category::Shopping], 2, false),
        ];
        let requests = [
            request(10, Category::Shopping),
            request(11, Category::Shopping),
        ];
        let best = propose(&requests, &volunteers);
        assert_ne!(best.assignments[0].volunteer, best.assignments[1].volunteer);
    }

    #[test]
    fn nothing_to_match_is_an_empty_proposal() {
        let empty = propose(&[], &[]);
        assert_eq!(empty.total_score, 0);
        let alone = propose(&[request(10, Category::Garden)], &[]);
        assert_eq!(alone.unmatched.len(), 1);
        assert!(alone.assignments.is_empty());
    }
}
