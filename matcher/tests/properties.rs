#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Properties of the matcher on small random instances, checked against code written
//! independently here: a brute-force optimum and a plain reading of the hard constraints.

use std::collections::{HashMap, HashSet};

use matcher::score::fairness_points;
use matcher::{
    Category, Date, Pool, QuarterId, Request, RequestId, ResidentId, TimeRange, TimeWindow,
    Urgency, Volunteer, VolunteerId, Weekday, WeeklySlot, assess, propose, propose_greedy, suggest,
};
use proptest::prelude::*;
use time::macros::date;
use uuid::Uuid;

const CATEGORIES: [Category; 2] = [Category::Shopping, Category::Visit];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
/// A Monday.
const START: Date = date!(2026 - 11 - 30);

fn day(offset: u8) -> Date {
    let mut d = START;
    for _ in 0..offset {
        d = d.next_day().unwrap();
    }
    d
}

fn quarter(n: u8) -> QuarterId {
    QuarterId(Uuid::from_u128(1000 + u128::from(n)))
}

fn resident(n: u8) -> ResidentId {
    ResidentId(Uuid::from_u128(2000 + u128::from(n)))
}

fn hours(from: u16, len: u16) -> TimeRange {
    TimeRange::hours(from, (from + len).min(24))
}

fn volunteer_strategy() -> impl Strategy<Value = Volunteer> {
    (
        (
            prop_oneof![Just(1u8), Just(2), Just(3), Just(3)],
            prop::collection::vec((0usize..7, 6u16..15, 3u16..11), 0..6),
        ),
        (
            prop_oneof![Just(1u8), Just(2), Just(3), Just(3)],
            prop::option::of(0u8..2),
        ),
        (
            1u8..3,
            prop_oneof![3 => Just(0u8), 1 => 1u8..3],
            prop::bool::weighted(0.9),
            prop::bool::weighted(0.1),
        ),
        (0u8..=100, prop::collection::vec((0u8..3, 1u16..5), 0..2)),
    )
        .prop_map(
            |((cats, slots), (quarters, home), (max, load, verified, paused), (rel, helped))| {
                Volunteer {
                    id: VolunteerId(Uuid::nil()), // numbered by the instance
                    categories: CATEGORIES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| cats & (1 << i) != 0)
                        .map(|(_, c)| *c)
                        .collect(),
                    availability: slots
                        .into_iter()
                        .map(|(d, from, len)| WeeklySlot {
                            weekday: WEEKDAYS[d],
                            time: hours(from, len),
                        })
                        .collect(),
                    quarters_served: (0..2)
                        .filter(|q| quarters & (1 << q) != 0)
                        .map(quarter)
                        .collect(),
                    home_quarter: home.map(quarter),
                    max_tasks_per_week: max,
                    tasks_this_week: load,
                    verified,
                    paused,
                    reliability_percent: rel,
                    helped_before: helped.into_iter().map(|(r, n)| (resident(r), n)).collect(),
                }
            },
        )
}

fn request_strategy() -> impl Strategy<Value = Request> {
    let window = prop_oneof![
        3 => (0u8..7, 8u16..17, 2u16..8).prop_map(|(d, from, len)| TimeWindow::At {
            date: day(d),
            time: hours(from, len),
        }),
        1 => (0u8..7, 0u8..9).prop_map(|(d, days)| TimeWindow::Flexible { from: day(d), days }),
    ];
    (
        0u8..3,
        0usize..2,
        0u8..2,
        window,
        prop_oneof![
            Just(Urgency::Low),
            Just(Urgency::Normal),
            Just(Urgency::High)
        ],
    )
        .prop_map(|(res, cat, q, window, urgency)| Request {
            id: RequestId(Uuid::nil()),
            resident: resident(res),
            category: CATEGORIES[cat],
            quarter: quarter(q),
            window,
            urgency,
        })
}

fn instance(
    max_requests: usize,
    max_volunteers: usize,
) -> impl Strategy<Value = (Vec<Request>, Vec<Volunteer>)> {
    (
        prop::collection::vec(request_strategy(), max_requests / 3..=max_requests),
        prop::collection::vec(volunteer_strategy(), 0..=max_volunteers),
    )
        .prop_map(|(mut requests, mut volunteers)| {
            for (i, r) in requests.iter_mut().enumerate() {
                r.id = RequestId(Uuid::from_u128(i as u128 + 1));
            }
            for (i, v) in volunteers.iter_mut().enumerate() {
                v.id = VolunteerId(Uuid::from_u128(i as u128 + 100));
            }
            (requests, volunteers)
        })
}

/// The hard constraints, read straight from the issue (without the matcher's code).
fn allowed(r: &Request, v: &Volunteer) -> bool {
    let available = match r.window {
        TimeWindow::At { date, time } => v.availability.iter().any(|s| {
            s.weekday == date.weekday() && s.time.from.max(time.from) < s.time.to.min(time.to)
        }),
        TimeWindow::Flexible { from, days } => (0..days.max(1)).any(|k| {
            let weekday = (0..k).fold(from, |d, _| d.next_day().unwrap()).weekday();
            v.availability
                .iter()
                .any(|s| s.weekday == weekday && s.time.from < s.time.to)
        }),
    };
    v.categories.contains(r.category)
        && available
        && v.quarters_served.contains(&r.quarter)
        && v.tasks_this_week < v.max_tasks_per_week
        && v.verified
        && !v.paused
}

/// The best total over every way to give each request one allowed volunteer or none.
fn brute_force(requests: &[Request], volunteers: &[Volunteer]) -> u64 {
    fn go(
        r: usize,
        requests: &[Request],
        volunteers: &[Volunteer],
        taken: &mut [u8],
        points: u64,
    ) -> u64 {
        if r == requests.len() {
            let load: u64 = volunteers
                .iter()
                .zip(taken.iter())
                .map(|(v, &k)| {
                    (0..k)
                        .map(|j| u64::from(fairness_points(v.tasks_this_week + j)))
                        .sum::<u64>()
                })
                .sum();
            return points + load;
        }
        let mut best = go(r + 1, requests, volunteers, taken, points);
        for (i, v) in volunteers.iter().enumerate() {
            if allowed(&requests[r], v) && v.tasks_this_week + taken[i] < v.max_tasks_per_week {
                let pair = u64::from(assess(&requests[r], v).unwrap().points());
                taken[i] += 1;
                best = best.max(go(r + 1, requests, volunteers, taken, points + pair));
                taken[i] -= 1;
            }
        }
        best
    }
    go(0, requests, volunteers, &mut vec![0; volunteers.len()], 0)
}

/// Every assignment allowed, capacities kept, every request once, the total adds up.
fn check_proposal(requests: &[Request], volunteers: &[Volunteer], p: &matcher::Proposal) {
    let by_request: HashMap<RequestId, &Request> = requests.iter().map(|r| (r.id, r)).collect();
    let by_volunteer: HashMap<VolunteerId, &Volunteer> =
        volunteers.iter().map(|v| (v.id, v)).collect();
    let mut count: HashMap<VolunteerId, u8> = HashMap::new();
    let mut seen = HashSet::new();
    for a in &p.assignments {
        let (r, v) = (by_request[&a.request], by_volunteer[&a.volunteer]);
        assert!(
            allowed(r, v),
            "{:?} got {:?} against a hard constraint",
            r.id,
            v.id
        );
        *count.entry(v.id).or_default() += 1;
        assert!(seen.insert(a.request), "{:?} assigned twice", a.request);
    }
    for id in &p.unmatched {
        assert!(seen.insert(*id), "{id:?} both assigned and unmatched");
    }
    assert_eq!(seen.len(), requests.len());
    for (id, n) in count {
        let v = by_volunteer[&id];
        assert!(
            v.tasks_this_week + n <= v.max_tasks_per_week,
            "{id:?} over capacity"
        );
    }
    let sum: u64 = p.assignments.iter().map(|a| u64::from(a.score)).sum();
    assert_eq!(p.total_score, sum);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn batch_equals_the_brute_force_optimum((requests, volunteers) in instance(6, 4)) {
        let best = propose(&requests, &volunteers);
        prop_assert_eq!(best.total_score, brute_force(&requests, &volunteers));
    }

    #[test]
    fn proposals_keep_hard_constraints_and_capacities((requests, volunteers) in instance(10, 8)) {
        let best = propose(&requests, &volunteers);
        let greedy = propose_greedy(&requests, &volunteers);
        check_proposal(&requests, &volunteers, &best);
        check_proposal(&requests, &volunteers, &greedy);
        prop_assert!(greedy.total_score <= best.total_score);
    }

    #[test]
    fn suggestions_are_the_allowed_volunteers_best_first(
        (requests, volunteers) in instance(1, 12),
        limit in 0usize..6,
    ) {
        for r in &requests {
            let all = suggest(r, &volunteers, usize::MAX);
            let ids: HashSet<VolunteerId> = all.iter().map(|s| s.volunteer).collect();
            let expected: HashSet<VolunteerId> =
                volunteers.iter().filter(|v| allowed(r, v)).map(|v| v.id).collect();
            prop_assert_eq!(ids, expected);
            prop_assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
            let top = suggest(r, &volunteers, limit);
            prop_assert_eq!(&top[..], &all[..limit.min(all.len())]);
            prop_assert_eq!(Pool::new(&volunteers).suggest(r, limit), top);
        }
    }
}

/// The property above has teeth only if random instances often have a better answer
/// than greedy; this keeps the generator honest.
#[test]
fn random_instances_often_beat_greedy() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = instance(6, 4);
    let better = (0..500)
        .filter(|_| {
            let (requests, volunteers) = strategy.new_tree(&mut runner).unwrap().current();
            propose_greedy(&requests, &volunteers).total_score < brute_force(&requests, &volunteers)
        })
        .count();
    assert!(
        better >= 25,
        "only {better} of 500 instances where greedy is not optimal"
    );
}
