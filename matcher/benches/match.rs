//! `cargo xtask bench match` (or `cargo bench -p matcher --bench match`): the matcher on
//! a city-sized random instance with a fixed seed. Prints figures; asserts nothing about
//! time. Ends with the two summary lines the project note quotes.

use std::time::{Duration, Instant};

use matcher::{
    Category, Date, Pool, QuarterId, Query, Request, RequestId, ResidentId, TimeRange, TimeWindow,
    Urgency, Volunteer, VolunteerId, Weekday, WeeklySlot, propose, propose_greedy, suggest,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::date;
use uuid::Uuid;

const SEED: u64 = 15;
const QUARTERS: u32 = 24;
const RESIDENTS: u32 = 10_000;
/// A Monday: requests fall within the next two weeks.
const TODAY: Date = date!(2026 - 11 - 30);
/// Share of requests per category, roughly as the spreadsheets the offices keep.
const CATEGORY_WEIGHTS: [(Category, u32); 9] = [
    (Category::Shopping, 25),
    (Category::Visit, 18),
    (Category::Accompany, 12),
    (Category::Transport, 10),
    (Category::TechHelp, 10),
    (Category::Paperwork, 8),
    (Category::Garden, 7),
    (Category::Repairs, 6),
    (Category::Other, 4),
];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    Uuid::from_u128(rng.random())
}

fn quarter(n: u32) -> QuarterId {
    QuarterId(Uuid::from_u128(u128::from(n % QUARTERS) + 1))
}

fn category(rng: &mut ChaCha8Rng) -> Category {
    let total: u32 = CATEGORY_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (c, w) in CATEGORY_WEIGHTS {
        if pick < w {
            return c;
        }
        pick -= w;
    }
    Category::Other
}

fn day(offset: u32) -> Date {
    (0..offset).fold(TODAY, |d, _| d.next_day().unwrap_or(d))
}

fn volunteer(rng: &mut ChaCha8Rng) -> Volunteer {
    let home = rng.random_range(0..QUARTERS);
    let mut quarters_served = vec![quarter(home)];
    // Neighbouring quarters, the way people walk or cycle.
    for neighbour in [home + 1, home + QUARTERS - 1] {
        if rng.random_bool(0.4) {
            quarters_served.push(quarter(neighbour));
        }
    }
    let categories = (0..rng.random_range(1..=4))
        .map(|_| category(rng))
        .collect();
    // Retired volunteers offer long weekday blocks; working ones a few evenings or weekends.
    let availability = if rng.random_bool(0.3) {
        let mut slots = Vec::new();
        for &weekday in &WEEKDAYS[..5] {
            if rng.random_bool(0.6) {
                slots.push(WeeklySlot {
                    weekday,
                    time: TimeRange::hours(9, rng.random_range(12..=17)),
                });
            }
        }
        slots
    } else {
        (0..rng.random_range(1..=4))
            .map(|_| {
                let from = rng.random_range(8..=19);
                WeeklySlot {
                    weekday: WEEKDAYS[rng.random_range(0..7)],
                    time: TimeRange::hours(from, (from + rng.random_range(1..=3)).min(22)),
                }
            })
            .collect()
    };
    let max_tasks_per_week = [1, 2, 2, 3, 3, 4, 5][rng.random_range(0..7)];
    let tasks_this_week = if rng.random_bool(0.4) {
        0
    } else {
        rng.random_range(0..=max_tasks_per_week)
    };
    let helped_before = if rng.random_bool(0.15) {
        (0..rng.random_range(1..=3))
            .map(|_| {
                (
                    ResidentId(Uuid::from_u128(u128::from(rng.random_range(0..RESIDENTS)))),
                    rng.random_range(1..=6),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Volunteer {
        id: VolunteerId(uuid(rng)),
        categories,
        availability,
        quarters_served,
        home_quarter: Some(quarter(home)),
        max_tasks_per_week,
        tasks_this_week,
        verified: rng.random_bool(0.85),
        paused: rng.random_bool(0.08),
        reliability_percent: rng.random_range(60..=100),
        helped_before,
    }
}

fn request(rng: &mut ChaCha8Rng) -> Request {
    let window = if rng.random_bool(0.65) {
        let from = rng.random_range(8..=17);
        TimeWindow::At {
            date: day(rng.random_range(0..14)),
            time: TimeRange::hours(from, from + rng.random_range(1..=4)),
        }
    } else {
        TimeWindow::Flexible {
            from: day(rng.random_range(0..7)),
            days: rng.random_range(2..=7),
        }
    };
    let urgency = match rng.random_range(0..10) {
        0..2 => Urgency::Low,
        2..8 => Urgency::Normal,
        _ => Urgency::High,
    };
    Request {
        id: RequestId(uuid(rng)),
        resident: ResidentId(Uuid::from_u128(u128::from(rng.random_range(0..RESIDENTS)))),
        category: category(rng),
        quarter: quarter(rng.random_range(0..QUARTERS)),
        window,
        urgency,
    }
}

/// Time this thread has spent on a CPU (Linux), to tell the code's cost from waiting for a
/// core on a busy machine. The kernel updates it at scheduler ticks: good for runs of
/// hundreds of milliseconds, not for one short call.
fn on_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn p95(times: &mut [Duration]) -> Duration {
    times.sort();
    times[(times.len() * 95).div_ceil(100) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);

    // One request among many volunteers.
    let volunteers: Vec<Volunteer> = (0..100_000).map(|_| volunteer(&mut rng)).collect();
    let requests: Vec<Request> = (0..300).map(|_| request(&mut rng)).collect();
    let mut scan: Vec<Duration> = requests
        .iter()
        .map(|r| {
            let started = Instant::now();
            std::hint::black_box(suggest(r, &volunteers, 10));
            started.elapsed()
        })
        .collect();
    let started = Instant::now();
    let pool = Pool::new(&volunteers);
    let pool_built = started.elapsed();
    let scan_p95 = p95(&mut scan);
    println!(
        "one request, without a pool (reads every volunteer): p50 {:.2} ms, p95 {:.2} ms; a pool is built in {:.1} ms",
        ms(scan[scan.len() / 2]),
        ms(scan_p95),
        ms(pool_built)
    );
    for r in &requests[..20] {
        std::hint::black_box(pool.suggest(r, 10)); // warm-up
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut found = 0;
    for r in &requests {
        let started = Instant::now();
        let suggestions = std::hint::black_box(pool.suggest(r, 10));
        times.push(started.elapsed());
        assert_eq!(suggestions, suggest(r, &volunteers, 10), "the pool differs");
        found += suggestions.len();
    }
    let p95_one = p95(&mut times);
    println!(
        "one request, from a pool: {} requests among {} volunteers, {:.1} suggestions each; p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        requests.len(),
        volunteers.len(),
        found as f64 / requests.len() as f64,
        ms(times[times.len() / 2]),
        ms(p95_one),
        ms(times[times.len() - 1]),
    );

    // All open requests at once.
    let volunteers: Vec<Volunteer> = (0..20_000).map(|_| volunteer(&mut rng)).collect();
    let requests: Vec<Request> = (0..2_000).map(|_| request(&mut rng)).collect();
    let pairs: usize = requests
        .iter()
        .map(|r| {
            let query = Query::new(r);
            volunteers
                .iter()
                .filter(|v| query.assess(v).is_some())
                .count()
        })
        .sum();
    let capacity: u32 = volunteers
        .iter()
        .filter(|v| v.verified && !v.paused)
        .map(|v| u32::from(v.remaining_capacity()))
        .sum();
    println!(
        "batch instance: {} eligible pairs ({:.0} volunteers per request), {} free task slots",
        pairs,
        pairs as f64 / requests.len() as f64,
        capacity
    );
    let mut runs: Vec<Duration> = Vec::new();
    let mut best = None;
    for run in 1..=3 {
        let cpu_before = on_cpu();
        let started = Instant::now();
        let proposal = propose(&requests, &volunteers);
        let took = started.elapsed();
        let cpu = cpu_before.zip(on_cpu()).map_or(String::new(), |(b, a)| {
            format!(" ({:.0} ms on a CPU)", ms(a.saturating_sub(b)))
        });
        println!(
            "batch run {run}: {:.0} ms{cpu}, {} assigned, {} unmatched, score {}",
            ms(took),
            proposal.assignments.len(),
            proposal.unmatched.len(),
            proposal.total_score
        );
        runs.push(took);
        best = Some(proposal);
    }
    let Some(best) = best else { return };
    let started = Instant::now();
    let greedy = propose_greedy(&requests, &volunteers);
    println!(
        "greedy: {:.0} ms, {} assigned, {} unmatched, score {}",
        ms(started.elapsed()),
        greedy.assignments.len(),
        greedy.unmatched.len(),
        greedy.total_score
    );
    assert!(
        best.total_score >= greedy.total_score,
        "the optimum lost to greedy"
    );
    runs.sort();
    let median = runs[runs.len() / 2];

    // A scarce week: as many requests, a tenth of the volunteers. Here the choice matters.
    let few: Vec<Volunteer> = (0..2_000).map(|_| volunteer(&mut rng)).collect();
    let started = Instant::now();
    let scarce = propose(&requests, &few);
    let took = started.elapsed();
    let scarce_greedy = propose_greedy(&requests, &few);
    println!(
        "scarce week ({} requests x {} volunteers): {:.0} ms; optimum {} assigned, score {}; greedy {} assigned, score {}",
        requests.len(),
        few.len(),
        ms(took),
        scarce.assignments.len(),
        scarce.total_score,
        scarce_greedy.assignments.len(),
        scarce_greedy.total_score
    );
    assert!(
        scarce.total_score >= scarce_greedy.total_score,
        "the optimum lost to greedy"
    );

    println!(
        "match one: p95 {:.1} ms ({} volunteers)",
        ms(p95_one),
        100_000
    );
    println!(
        "match batch: {:.2} s ({} requests x {} volunteers), score {} vs greedy {}",
        median.as_secs_f64(),
        requests.len(),
        volunteers.len(),
        best.total_score,
        greedy.total_score
    );
}
