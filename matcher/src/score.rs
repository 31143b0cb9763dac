//! The hard constraints and the score of one volunteer for one request.
//!
//! Scores are whole points so that the batch optimum is exact (no floating-point ties).
//! A pair's score is [`Fit::points`] (everything about the pair) plus [`fairness_points`]
//! for the volunteer's load: the load part is kept apart because in a batch it falls
//! with every further task the same volunteer gets.

use time::{Date, Weekday};

use crate::model::{Request, TimeRange, TimeWindow, Urgency, Volunteer};

/// Every eligible pair is worth this much besides the rest: in a batch, matching one more
/// request outweighs most differences between volunteers (theirs add up to at most 155).
pub const BASE_POINTS: u32 = 100;
/// The volunteer lives in the request's quarter.
pub const SAME_QUARTER_POINTS: u32 = 30;
/// Per earlier completed task for the same resident (up to [`HELPED_BEFORE_CAP`]).
pub const HELPED_BEFORE_POINTS: u32 = 15;
pub const HELPED_BEFORE_CAP: u16 = 3;
/// At 100 % reliability; proportionally less below.
pub const RELIABILITY_POINTS: u32 = 40;
/// For a volunteer without tasks this week; [`FAIRNESS_STEP`] less per task already taken.
pub const FAIRNESS_POINTS: u32 = 40;
pub const FAIRNESS_STEP: u32 = 10;

/// Why a volunteer is suggested. The web app renders these in either language, e.g.
/// "available Tue 10–12 · same quarter · 1 task this week".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Reason {
    /// The first time the volunteer's availability meets the request's window.
    AvailableAt {
        date: Date,
        weekday: Weekday,
        from: u16,
        to: u16,
    },
    /// The volunteer lives in the request's quarter.
    SameQuarter,
    /// Tasks the volunteer has this week before this one (fewer scores higher).
    TasksThisWeek(u8),
    /// Tasks the volunteer has completed for this resident before.
    HelpedBefore(u16),
    /// Share of accepted tasks the volunteer completed, in percent.
    Reliability(u8),
}

/// A volunteer that meets every hard constraint for a request, and what counts for the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// First date and time the volunteer's availability overlaps the window.
    pub date: Date,
    pub time: TimeRange,
    pub same_quarter: bool,
    pub helped_before: u16,
    pub reliability_percent: u8,
    pub urgency: Urgency,
}

/// `Some` if the volunteer may be suggested for the request: offers the category, is
/// available in the window, serves the quarter, is under the weekly limit, verified and
/// not paused.
pub fn assess(request: &Request, volunteer: &Volunteer) -> Option<Fit> {
    Query::new(request).assess(volunteer)
}

/// A request with its days worked out once, for checking many volunteers against it.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    request: &'a Request,
    /// The days of the window, earliest first (the weekly pattern repeats after seven).
    days: [(Date, Weekday); 7],
    len: usize,
    time: TimeRange,
}

impl<'a> Query<'a> {
    pub fn new(request: &'a Request) -> Query<'a> {
        let (first, count, time) = match request.window {
            TimeWindow::At { date, time } => (date, 1, time),
            TimeWindow::Flexible { from, days } => (from, days.clamp(1, 7), TimeRange::DAY),
        };
        let mut days = [(first, first.weekday()); 7];
        let mut len = 1;
        while len < usize::from(count) {
            let Some(next) = days[len - 1].0.next_day() else {
                break;
            };
            days[len] = (next, next.weekday());
            len += 1;
        }
        Query {
            request,
            days,
            len,
            time,
        }
    }

    /// The weekdays of the window.
    pub(crate) fn weekdays(&self) -> impl Iterator<Item = Weekday> + '_ {
        self.days[..self.len].iter().map(|(_, w)| *w)
    }

    /// [`assess`] for this query's request.
    pub fn assess(&self, volunteer: &Volunteer) -> Option<Fit> {
        let request = self.request;
        // `&` rather than `&&`: these flags are random from one volunteer to the next, and
        // a branch per flag mispredicts often across 100,000 of them.
        let open = volunteer.categories.contains(request.category)
            & volunteer.verified
            & !volunteer.paused
            & (volunteer.tasks_this_week < volunteer.max_tasks_per_week);
        if !open || !volunteer.quarters_served.contains(&request.quarter) {
            return None;
        }
        let (date, time) = self.first_overlap(volunteer)?;
        Some(Fit {
            date,
            time,
            same_quarter: volunteer.home_quarter == Some(request.quarter),
            helped_before: volunteer.times_helped(request.resident),
            reliability_percent: volunteer.reliability_percent.min(100),
            urgency: request.urgency,
        })
    }

    /// The earliest date and time the volunteer's weekly availability meets the window.
    fn first_overlap(&self, volunteer: &Volunteer) -> Option<(Date, TimeRange)> {
        self.days[..self.len].iter().find_map(|&(date, weekday)| {
            volunteer
                .availability
                .iter()
                .filter(|s| s.weekday == weekday)
                .filter_map(|s| s.time.intersect(self.time))
                .min_by_key(|t| t.from)
                .map(|t| (date, t))
        })
    }
}

impl Fit {
    /// Points for the pair, without the load part ([`fairness_points`]).
    pub fn points(&self) -> u32 {
        BASE_POINTS
            + urgency_points(self.urgency)
            + if self.same_quarter {
                SAME_QUARTER_POINTS
            } else {
                0
            }
            + u32::from(self.helped_before.min(HELPED_BEFORE_CAP)) * HELPED_BEFORE_POINTS
            + u32::from(self.reliability_percent) * RELIABILITY_POINTS / 100
    }

    /// The reasons to show, given the volunteer's tasks this week before this one.
    pub fn reasons(&self, tasks_this_week: u8) -> Vec<Reason> {
        let mut reasons = vec![Reason::AvailableAt {
            date: self.date,
            weekday: self.date.weekday(),
            from: self.time.from,
            to: self.time.to,
        }];
        if self.same_quarter {
            reasons.push(Reason::SameQuarter);
        }
        reasons.push(Reason::TasksThisWeek(tasks_this_week));
        if self.helped_before > 0 {
            reasons.push(Reason::HelpedBefore(self.helped_before));
        }
        reasons.push(Reason::Reliability(self.reliability_percent));
        reasons
    }
}

/// Urgent requests weigh more, so that when volunteers are scarce a batch serves them first.
/// (For one request's ranking it is the same for every volunteer.)
pub fn urgency_points(urgency: Urgency) -> u32 {
    match urgency {
        Urgency::Low => 0,
        Urgency::Normal => 25,
        Urgency::High => 60,
    }
}

/// Points for giving a volunteer who already has `tasks_this_week` tasks one more: falls
/// with every task, so both a ranking and a batch spread the work.
pub fn fairness_points(tasks_this_week: u8) -> u32 {
    FAIRNESS_POINTS.saturating_sub(u32::from(tasks_this_week) * FAIRNESS_STEP)
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use uuid::Uuid;

    use super::*;
    use crate::model::*;

    fn quarter(n: u128) -> QuarterId {
        QuarterId(Uuid::from_u128(n))
    }

    fn volunteer() -> Volunteer {
        Volunteer {
            id: VolunteerId(Uuid::from_u128(1)),
            categories: [Category::Shopping].into_iter().collect(),
            availability: vec![WeeklySlot {
                weekday: Weekday::Tuesday,
                time: TimeRange::hours(10, 12),
            }],
            quarters_served: vec![quarter(1), quarter(2)],
            home_quarter: Some(quarter(1)),
            max_tasks_per_week: 3,
            tasks_this_week: 1,
            verified: true,
            paused: false,
            reliability_percent: 90,
            helped_before: vec![(ResidentId(Uuid::from_u128(7)), 2)],
        }
    }

    fn request() -> Request {
        Request {
            id: RequestId(Uuid::from_u128(100)),
            resident: ResidentId(Uuid::from_u128(7)),
            category: Category::Shopping,
            quarter: quarter(1),
            // 2026-12-01 is a Tuesday.
            window: TimeWindow::At {
                date: date!(2026 - 12 - 01),
                time: TimeRange::hours(11, 14),
            },
            urgency: Urgency::Normal,
        }
    }

    #[test]
    fn a_fitting_volunteer_gets_the_overlap_and_every_reason() {
        let fit = assess(&request(), &volunteer()).expect("eligible");
        assert_eq!(fit.time, TimeRange::hours(11, 12));
        assert_eq!(
            fit.reasons(1),
            vec![
                Reason::AvailableAt {
                    date: date!(2026 - 12 - 01),
                    weekday: Weekday::Tuesday,
                    from: 11 * 60,
                    to: 12 * 60
                },
                Reason::SameQuarter,
                Reason::TasksThisWeek(1),
                Reason::HelpedBefore(2),
                Reason::Reliability(90),
            ]
        );
        assert_eq!(fit.points(), 100 + 25 + 30 + 2 * 15 + 36);
    }

    #[test]
    fn each_hard_constraint_excludes_on_its_own() {
        type Change = Box<dyn Fn(&mut Volunteer, &mut Request)>;
        let r = request();
        let cases: Vec<(&str, Change)> = vec![
            ("category", Box::new(|_, r| r.category = Category::Garden)),
            ("unverified", Box::new(|v, _| v.verified = false)),
            ("paused", Box::new(|v, _| v.paused = true)),
            (
                "at the weekly limit",
                Box::new(|v, _| v.tasks_this_week = 3),
            ),
            (
                "over the weekly limit",
                Box::new(|v, _| v.tasks_this_week = 9),
            ),
            (
                "quarter not served",
                Box::new(|_, r| r.quarter = quarter(3)),
            ),
            (
                "other weekday",
                Box::new(|_, r| {
                    r.window = TimeWindow::At {
                        date: date!(2026 - 12 - 02),
                        time: TimeRange::hours(10, 12),
                    }
                }),
            ),
            (
                "window only touches the slot",
                Box::new(|_, r| {
                    r.window = TimeWindow::At {
                        date: date!(2026 - 12 - 01),
                        time: TimeRange::hours(12, 14),
                    }
                }),
            ),
            (
                "flexible days miss Tuesday",
                Box::new(|_, r| {
                    // Wednesday to Monday: six days, no Tuesday.
                    r.window = TimeWindow::Flexible {
                        from: date!(2026 - 12 - 02),
                        days: 6,
                    }
                }),
            ),
        ];
        assert!(assess(&r, &volunteer()).is_some());
        for (name, change) in cases {
            let (mut v, mut r) = (volunteer(), request());
            change(&mut v, &mut r);
            assert_eq!(assess(&r, &v), None, "{name}");
        }
    }

    #[test]
    fn a_flexible_window_finds_the_first_available_day() {
        let mut r = request();
        r.window = TimeWindow::Flexible {
            from: date!(2026 - 12 - 02),
            days: 7,
        };
        let fit = assess(&r, &volunteer()).expect("Tuesday is within seven days");
        assert_eq!(fit.date, date!(2026 - 12 - 08));
        assert_eq!(fit.time, TimeRange::hours(10, 12));
    }

    #[test]
    fn fairness_falls_with_every_task_and_never_below_zero() {
        let points: Vec<u32> = (0..6).map(fairness_points).collect();
        assert_eq!(points, vec![40, 30, 20, 10, 0, 0]);
        assert_eq!(fairness_points(u8::MAX), 0);
    }
}
