//! Ranked suggestions for one request.

use crate::model::{Request, Volunteer, VolunteerId};
use crate::score::{Reason, assess, fairness_points};

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
pub fn suggest(request: &Request, volunteers: &[Volunteer], limit: usize) -> Vec<Suggestion> {
    // Scores first, reasons only for the few that are shown.
    let mut ranked: Vec<(u32, VolunteerId, usize)> = volunteers
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let fit = assess(request, v)?;
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
            let fit = assess(request, v)?;
            Some(Suggestion {
                volunteer: id,
                score,
                reasons: fit.reasons(v.tasks_this_week),
            })
        })
        .collect()
}
