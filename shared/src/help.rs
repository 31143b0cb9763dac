//! Neighbourly help: volunteers' offers (and, to come, requests and their workflow).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::FieldError;

/// What kind of help. The same list as the matcher's categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpCategory {
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

impl HelpCategory {
    pub const ALL: [HelpCategory; 9] = [
        HelpCategory::Shopping,
        HelpCategory::Accompany,
        HelpCategory::TechHelp,
        HelpCategory::Paperwork,
        HelpCategory::Visit,
        HelpCategory::Repairs,
        HelpCategory::Garden,
        HelpCategory::Transport,
        HelpCategory::Other,
    ];
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// One entry of a volunteer's weekly availability, e.g. Tuesday 10:00–12:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilitySlot {
    pub weekday: Weekday,
    /// Start, in minutes after midnight (600 is 10:00).
    pub from_minute: u16,
    /// End, in minutes after midnight, later than the start; at most 1440.
    pub to_minute: u16,
}

/// Most availability slots an offer may list.
pub const MAX_SLOTS: usize = 21;
/// Longest self-description, in characters.
pub const MAX_ABOUT: usize = 500;
/// Most tasks a week a volunteer may take on.
pub const MAX_TASKS_PER_WEEK: u8 = 14;

/// `PUT /api/v1/me/offer`: what a volunteer offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerOfferRequest {
    /// At least one, each once.
    pub categories: Vec<HelpCategory>,
    /// When the volunteer is usually free; may be empty ("ask me").
    #[serde(default)]
    pub availability: Vec<AvailabilitySlot>,
    /// Quarters the volunteer helps in; at least one.
    pub quarter_ids: Vec<Uuid>,
    /// 1 to 14.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 14))]
    pub max_tasks_per_week: u8,
    /// A paused offer gets no suggestions until resumed.
    #[serde(default)]
    pub paused: bool,
    /// A few words about oneself, shown to the people helped (at most 500 characters).
    #[serde(default)]
    pub about: String,
}

impl VolunteerOfferRequest {
    /// What is wrong with the offer, per field; empty when it may be stored. (Whether the
    /// quarters exist is the server's to check.)
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut add = |field: &str, code: &str| {
            out.push(FieldError {
                field: field.into(),
                code: code.into(),
            })
        };
        if self.categories.is_empty() {
            add("categories", "required");
        }
        let mut categories = self.categories.clone();
        categories.sort();
        categories.dedup();
        if categories.len() != self.categories.len() {
            add("categories", "duplicate");
        }
        if self.availability.len() > MAX_SLOTS {
            add("availability", "too_many");
        }
        for (i, slot) in self.availability.iter().enumerate() {
            if slot.from_minute >= slot.to_minute || slot.to_minute > 24 * 60 {
                add(&format!("availability[{i}]"), "invalid_time_range");
            }
        }
        if self.quarter_ids.is_empty() {
            add("quarter_ids", "required");
        }
        let mut quarters = self.quarter_ids.clone();
        quarters.sort();
        quarters.dedup();
        if quarters.len() != self.quarter_ids.len() {
            add("quarter_ids", "duplicate");
        }
        if !(1..=MAX_TASKS_PER_WEEK).contains(&self.max_tasks_per_week) {
            add("max_tasks_per_week", "out_of_range");
        }
        if self.about.chars().count() > MAX_ABOUT {
            add("about", "too_long");
        }
        if self.about.chars().any(|c| c.is_control() && c != '\n') {
            add("about", "control_characters");
        }
        out
    }
}

/// A manager's check of a volunteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationDto {
    /// When, RFC 3339.
    pub verified_at: String,
    /// The day a certificate of conduct (Führungszeugnis) was seen, `YYYY-MM-DD`, if one was.
    pub certificate_seen_on: Option<String>,
}

/// A volunteer's offer as its volunteer and the managers of its quarters see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerOfferDto {
    pub user_id: Uuid,
    pub display_name: String,
    pub categories: Vec<HelpCategory>,
    pub availability: Vec<AvailabilitySlot>,
    pub quarter_ids: Vec<Uuid>,
    pub max_tasks_per_week: u8,
    pub paused: bool,
    pub about: String,
    /// `null` until a manager has verified the volunteer; only verified volunteers
    /// are suggested and see the details of requests.
    pub verification: Option<VerificationDto>,
}

/// `PUT /api/v1/manager/volunteers/{user_id}/verification`. A JSON object only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(remote = "Self")]
pub struct VerifyVolunteerRequest {
    /// The day a certificate of conduct was seen, `YYYY-MM-DD`, not in the future.
    #[serde(default)]
    pub certificate_seen_on: Option<String>,
}

object_only!(VerifyVolunteerRequest);

/// When a request should be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HelpWindow {
    /// On a day (`YYYY-MM-DD`) between two times (minutes after midnight).
    At {
        date: String,
        from_minute: u16,
        to_minute: u16,
    },
    /// Any time within `days` days (1–14) from a day (`YYYY-MM-DD`).
    Flexible {
        from: String,
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 14))]
        days: u8,
    },
}

/// How soon help is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpUrgency {
    Low,
    Normal,
    High,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpStatus {
    Open,
    Proposed,
    Accepted,
    Confirmed,
    Done,
    Declined,
    Cancelled,
    Expired,
}

impl HelpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HelpStatus::Open => "open",
            HelpStatus::Proposed => "proposed",
            HelpStatus::Accepted => "accepted",
            HelpStatus::Confirmed => "confirmed",
            HelpStatus::Done => "done",
            HelpStatus::Declined => "declined",
            HelpStatus::Cancelled => "cancelled",
            HelpStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<HelpStatus> {
        [
            HelpStatus::Open,
            HelpStatus::Proposed,
            HelpStatus::Accepted,
            HelpStatus::Confirmed,
            HelpStatus::Done,
            HelpStatus::Declined,
            HelpStatus::Cancelled,
            HelpStatus::Expired,
        ]
        .into_iter()
        .find(|h| h.as_str() == s)
    }
}

/// Longest description of what is needed, in characters.
pub const MAX_DETAILS: usize = 1000;
/// Longest accessibility note, in characters.
pub const MAX_ACCESSIBILITY: usize = 300;
/// Longest flexible window, in days.
pub const MAX_FLEXIBLE_DAYS: u8 = 14;

/// `POST /api/v1/help/requests`: a resident asks for help. The client makes `id` (a
/// random UUID): sending the same request again stores it once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpRequestRequest {
    pub id: Uuid,
    pub category: HelpCategory,
    /// What is needed, in the resident's words (1–1000 characters).
    pub details: String,
    pub when: HelpWindow,
    /// Defaults to the resident's home quarter.
    #[serde(default)]
    pub quarter_id: Option<Uuid>,
    pub urgency: HelpUrgency,
    /// E.g. "needs a wheelchair-accessible car" (at most 300 characters).
    #[serde(default)]
    pub accessibility: String,
    /// The same help every week, this many weeks in a row (1–12; 1: once). Each week
    /// is a request of its own, found and agreed on by itself.
    #[serde(default = "once")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 12))]
    pub weeks: u8,
    /// Opened from the thank-you page of this survey, where the resident said they need
    /// this kind of help. Only for an identified survey the resident answered signed in;
    /// from an anonymous survey a request is asked like any other (nothing links them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_survey: Option<Uuid>,
}

fn once() -> u8 {
    1
}

/// The most weeks one recurring request covers.
pub const MAX_WEEKS: u8 = 12;

/// Which week of a recurring request this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesDto {
    /// The week, from 1.
    pub week: u8,
    pub weeks: u8,
}

/// A day written `YYYY-MM-DD`, if it is a real one.
pub fn parse_day(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format).ok()
}

fn text_problem(text: &str, max: usize, required: bool) -> Option<&'static str> {
    if required && text.trim().is_empty() {
        Some("required")
    } else if text.chars().count() > max {
        Some("too_long")
    } else if text.chars().any(|c| c.is_control() && c != '\n') {
        Some("control_characters")
    } else {
        None
    }
}

impl HelpWindow {
    /// The first day of the window, if it is a real day.
    pub fn first_day(&self) -> Option<time::Date> {
        match self {
            HelpWindow::At { date, .. } => parse_day(date),
            HelpWindow::Flexible { from, .. } => parse_day(from),
        }
    }

    /// The same window `weeks` weeks later (an unreadable day stays as it is).
    pub fn weeks_later(&self, weeks: u8) -> HelpWindow {
        let later = |day: &str| {
            parse_day(day)
                .and_then(|d| d.checked_add(time::Duration::weeks(i64::from(weeks))))
                .map_or_else(|| day.to_owned(), |d| d.to_string())
        };
        match self {
            HelpWindow::At {
                date,
                from_minute,
                to_minute,
            } => HelpWindow::At {
                date: later(date),
                from_minute: *from_minute,
                to_minute: *to_minute,
            },
            HelpWindow::Flexible { from, days } => HelpWindow::Flexible {
                from: later(from),
                days: *days,
            },
        }
    }

    /// The last day of the window.
    pub fn last_day(&self) -> Option<time::Date> {
        match self {
            HelpWindow::At { date, .. } => parse_day(date),
            HelpWindow::Flexible { from, days } => parse_day(from)
                .and_then(|d| d.checked_add(time::Duration::days(i64::from(*days.max(&1)) - 1))),
        }
    }
}

impl HelpRequestRequest {
    /// What is wrong, per field; `today` is the requester's day (windows may not lie in
    /// the past). Whether the quarter exists is the server's to check.
    pub fn problems(&self, today: time::Date) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut add = |field: &str, code: &str| {
            out.push(FieldError {
                field: field.into(),
                code: code.into(),
            })
        };
        if let Some(code) = text_problem(&self.details, MAX_DETAILS, true) {
            add("details", code);
        }
        if let Some(code) = text_problem(&self.accessibility, MAX_ACCESSIBILITY, false) {
            add("accessibility", code);
        }
        match &self.when {
            HelpWindow::At {
                date,
                from_minute,
                to_minute,
            } => {
                match parse_day(date) {
                    None => add("when.date", "invalid_date"),
                    Some(d) if d < today => add("when.date", "in_the_past"),
                    Some(_) => {}
                }
                if from_minute >= to_minute || *to_minute > 24 * 60 {
                    add("when", "invalid_time_range");
                }
            }
            HelpWindow::Flexible { from, days } => {
                match parse_day(from) {
                    None => add("when.from", "invalid_date"),
                    Some(d) if d < today => add("when.from", "in_the_past"),
                    Some(_) => {}
                }
                if !(1..=MAX_FLEXIBLE_DAYS).contains(days) {
                    add("when.days", "out_of_range");
                }
            }
        }
        if !(1..=MAX_WEEKS).contains(&self.weeks) {
            add("weeks", "out_of_range");
        }
        out
    }
}

/// Who phoned, for a request a manager takes on the telephone for someone without an
/// account. Kept on the managers' side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallerDto {
    pub name: String,
    pub phone: String,
}

/// `POST /api/v1/manager/help-requests`: a request taken on the telephone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhonedHelpRequest {
    pub request: HelpRequestRequest,
    /// The caller, who may have no account. The quarter is then required.
    pub caller: CallerDto,
}

/// A request as the resident who asked and the managers of its quarter see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpRequestDto {
    pub id: Uuid,
    pub category: HelpCategory,
    pub details: String,
    pub when: HelpWindow,
    pub quarter_id: Uuid,
    pub urgency: HelpUrgency,
    pub accessibility: String,
    pub status: HelpStatus,
    /// For whom: the resident's display name, or the caller's name.
    pub for_name: String,
    /// The caller of a phoned request (managers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<CallerDto>,
    /// The volunteer proposed or coming (not shown to other volunteers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer: Option<HelperDto>,
    /// The other side's contact, for the resident and the volunteer only, from the
    /// resident's confirmation until 30 days after the task is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactDto>,
    /// On a volunteer's board: why this request fits them (the matcher's reasons).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<SuggestionReason>,
    /// Which week of a recurring request (absent: asked once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<SeriesDto>,
    /// The survey the resident said this need in (for the resident and managers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_survey: Option<Uuid>,
    /// RFC 3339.
    pub created_at: String,
}

/// A volunteer as the people they help see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelperDto {
    pub user_id: Uuid,
    pub display_name: String,
}

/// How to reach the other side of an agreed task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactDto {
    pub name: String,
    /// Empty when the person left no number.
    pub phone: String,
}

/// `POST /api/v1/help/requests/{id}/actions`: one step of a request's workflow.
///
/// open → proposed (a manager proposes a volunteer) → accepted (by that volunteer, or
/// any verified volunteer of the quarter straight from open) → confirmed (by the resident
/// or a manager) → done; a proposed or accepted volunteer may decline (back to open); the
/// resident or a manager may cancel until it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum HelpAction {
    Propose { volunteer_id: Uuid },
    Accept,
    Decline,
    Confirm,
    Done,
    Cancel,
}

/// What a volunteer sees: open requests they could take (verified volunteers only; the
/// others see how many there are per category) and their own tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerBoardDto {
    pub verified: bool,
    pub open_per_category: Vec<CategoryCountDto>,
    /// Empty until verified; no names or contacts.
    pub open: Vec<HelpRequestDto>,
    pub tasks: Vec<HelpRequestDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCountDto {
    pub category: HelpCategory,
    pub count: u32,
}

/// Why a volunteer is suggested, for the web app to say in either language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuggestionReason {
    /// The first time the volunteer is free in the window: a day and times.
    AvailableAt {
        date: String,
        weekday: Weekday,
        from_minute: u16,
        to_minute: u16,
    },
    SameQuarter,
    TasksThisWeek {
        tasks: u8,
    },
    HelpedBefore {
        times: u16,
    },
    Reliability {
        percent: u8,
    },
}

/// One volunteer suggested for a request, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionDto {
    pub volunteer_id: Uuid,
    pub display_name: String,
    pub score: u32,
    pub reasons: Vec<SuggestionReason>,
}

/// A step in a request's life, as logged and as people are told of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpEvent {
    Asked,
    Proposed,
    Accepted,
    Declined,
    Confirmed,
    Done,
    Cancelled,
    /// Its window passed while nobody had taken it.
    Expired,
    /// Nobody has taken it for a while (managers are told).
    Flagged,
}

impl HelpEvent {
    pub const ALL: [HelpEvent; 9] = [
        HelpEvent::Asked,
        HelpEvent::Proposed,
        HelpEvent::Accepted,
        HelpEvent::Declined,
        HelpEvent::Confirmed,
        HelpEvent::Done,
        HelpEvent::Cancelled,
        HelpEvent::Expired,
        HelpEvent::Flagged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HelpEvent::Asked => "asked",
            HelpEvent::Proposed => "proposed",
            HelpEvent::Accepted => "accepted",
            HelpEvent::Declined => "declined",
            HelpEvent::Confirmed => "confirmed",
            HelpEvent::Done => "done",
            HelpEvent::Cancelled => "cancelled",
            HelpEvent::Expired => "expired",
            HelpEvent::Flagged => "flagged",
        }
    }

    pub fn parse(s: &str) -> Option<HelpEvent> {
        HelpEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// Which page a notification leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The person who asked: their requests (`/help`).
    Resident,
    /// The volunteer: their tasks (`/help/volunteer`).
    Volunteer,
    /// A manager of the quarter: the help desk (`/manager/help`).
    Staff,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Resident => "resident",
            Audience::Volunteer => "volunteer",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        [Audience::Resident, Audience::Volunteer, Audience::Staff]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// One thing that happened to a request the person takes part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationDto {
    pub id: Uuid,
    pub event: HelpEvent,
    pub audience: Audience,
    pub request_id: Uuid,
    pub category: HelpCategory,
    pub when: HelpWindow,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: time::OffsetDateTime,
    pub read: bool,
}

/// The person's newest notifications (at most 50) and how many are unread in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationsDto {
    pub unread: u32,
    pub items: Vec<NotificationDto>,
}

/// Marks these of the person's notifications read (others' ids are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadNotificationsRequest {
    pub ids: Vec<Uuid>,
}

/// One pair of the batch proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchPairDto {
    pub request: HelpRequestDto,
    pub volunteer_id: Uuid,
    pub display_name: String,
    pub score: u32,
    pub reasons: Vec<SuggestionReason>,
}

/// Who should take which of the open requests: the assignment with the highest total
/// score under every volunteer's weekly limit, beside what picking the best pair first
/// (greedy) would reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchProposalDto {
    pub pairs: Vec<BatchPairDto>,
    /// Open requests nobody fits.
    pub unmatched: Vec<HelpRequestDto>,
    pub total_score: u64,
    pub greedy_score: u64,
    /// Pairs greedy would have made.
    pub greedy_pairs: u32,
}

/// A pair to propose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalPair {
    pub request_id: Uuid,
    pub volunteer_id: Uuid,
}

/// Proposes each pair (as the `propose` step would, one by one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyBatchRequest {
    pub pairs: Vec<ProposalPair>,
}

/// What became of each pair: proposed, or not any more possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyBatchDto {
    pub proposed: Vec<Uuid>,
    /// Requests that had moved on, or whose volunteer no longer fits.
    pub skipped: Vec<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> VolunteerOfferRequest {
        VolunteerOfferRequest {
            categories: vec![HelpCategory::Shopping],
            availability: vec![AvailabilitySlot {
                weekday: Weekday::Tuesday,
                from_minute: 600,
                to_minute: 720,
            }],
            quarter_ids: vec![Uuid::nil()],
            max_tasks_per_week: 2,
            paused: false,
            about: "Ich kaufe gern mit ein.".into(),
        }
    }

    fn codes(o: &VolunteerOfferRequest) -> Vec<(String, String)> {
        o.problems()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_offer_has_no_problems() {
        assert!(offer().problems().is_empty());
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut o = offer();
        o.categories = vec![];
        o.availability[0].to_minute = 600;
        o.quarter_ids = vec![];
        o.max_tasks_per_week = 0;
        o.about = "x".repeat(MAX_ABOUT + 1);
        let c = codes(&o);
        for expected in [
            ("categories", "required"),
            ("availability[0]", "invalid_time_range"),
            ("quarter_ids", "required"),
            ("max_tasks_per_week", "out_of_range"),
            ("about", "too_long"),
        ] {
            assert!(
                c.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {c:?}"
            );
        }
        let mut o = offer();
        o.categories.push(HelpCategory::Shopping);
        o.availability[0].to_minute = 24 * 60 + 1;
        assert_eq!(
            codes(&o),
            vec![
                ("categories".into(), "duplicate".into()),
                ("availability[0]".into(), "invalid_time_range".into())
            ]
        );
    }
}
