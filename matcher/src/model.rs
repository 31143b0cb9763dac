//! What the matcher reads: volunteers and requests, shaped so that a service can fill them
//! from database rows (ids are the rows' UUIDs, times are minutes since midnight).

use time::{Date, Weekday};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name(pub Uuid);
    };
}

id_type!(
    /// A volunteer's offer (one per volunteer).
    VolunteerId
);
id_type!(
    /// A help request.
    RequestId
);
id_type!(
    /// The resident a request is for; links a request to a volunteer's earlier help.
    ResidentId
);
id_type!(
    /// A quarter (neighbourhood).
    QuarterId
);

/// What kind of help. The same list as the offers and requests in the web app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Category {
    Shopping,
    Accompany,
    TechHelp,
    Paperwork,
    Visit,
    Repairs,
    Garden,
    Transport,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Shopping,
        Category::Accompany,
        Category::TechHelp,
        Category::Paperwork,
        Category::Visit,
        Category::Repairs,
        Category::Garden,
        Category::Transport,
        Category::Other,
    ];

    pub(crate) fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The categories a volunteer offers, as a bit set (one test per candidate, no allocation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(u16);

impl CategorySet {
    pub fn contains(self, category: Category) -> bool {
        self.0 & category.bit() != 0
    }

    pub(crate) fn bits(self) -> u16 {
        self.0
    }

    pub fn insert(&mut self, category: Category) {
        self.0 |= category.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        let mut set = CategorySet::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

/// A time of day range `[from, to)` in minutes since midnight (0..=1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TimeRange {
    pub from: u16,
    pub to: u16,
}

impl TimeRange {
    /// The whole day.
    pub const DAY: TimeRange = TimeRange {
        from: 0,
        to: 24 * 60,
    };

    pub const fn new(from: u16, to: u16) -> TimeRange {
        TimeRange { from, to }
    }

    /// `hours(10, 12)` is 10:00–12:00.
    pub const fn hours(from: u16, to: u16) -> TimeRange {
        TimeRange {
            from: from * 60,
            to: to * 60,
        }
    }

    /// The common part, if it is longer than zero minutes.
    pub fn intersect(self, other: TimeRange) -> Option<TimeRange> {
        let from = self.from.max(other.from);
        let to = self.to.min(other.to);
        (from < to).then_some(TimeRange { from, to })
    }
}

/// One entry of a volunteer's weekly availability, e.g. Tuesday 10:00–12:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeklySlot {
    pub weekday: Weekday,
    pub time: TimeRange,
}

/// A volunteer's offer and the figures the matcher weighs.
#[derive(Debug, Clone, PartialEq)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub categories: CategorySet,
    pub availability: Vec<WeeklySlot>,
    pub quarters_served: Vec<QuarterId>,
    /// Where the volunteer lives, if known: a request from there scores higher.
    pub home_quarter: Option<QuarterId>,
    pub max_tasks_per_week: u8,
    /// Tasks already accepted or proposed for this week.
    pub tasks_this_week: u8,
    /// A manager has verified the volunteer; unverified volunteers are never suggested.
    pub verified: bool,
    pub paused: bool,
    /// Share of accepted tasks that were done, 0–100. The service should pass a smoothed
    /// figure (e.g. a prior for volunteers with few tasks) so a newcomer is not ranked last.
    pub reliability_percent: u8,
    /// Completed tasks per resident (only residents with at least one).
    pub helped_before: Vec<(ResidentId, u16)>,
}

impl Volunteer {
    /// How many more tasks the volunteer takes this week.
    pub fn remaining_capacity(&self) -> u8 {
        self.max_tasks_per_week.saturating_sub(self.tasks_this_week)
    }

    /// Completed tasks for this resident.
    pub fn times_helped(&self, resident: ResidentId) -> u16 {
        self.helped_before
            .iter()
            .find(|(r, _)| *r == resident)
            .map_or(0, |(_, n)| *n)
    }
}

/// When a request should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeWindow {
    /// On this date, within this time of day.
    At { date: Date, time: TimeRange },
    /// Any time on `days` days starting with `from` (`days` 0 counts as 1).
    Flexible { from: Date, days: u8 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Urgency {
    Low,
    Normal,
    High,
}

/// An open help request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: RequestId,
    pub resident: ResidentId,
    pub category: Category,
    pub quarter: QuarterId,
    pub window: TimeWindow,
    pub urgency: Urgency,
}
