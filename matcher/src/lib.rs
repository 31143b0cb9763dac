//! Quartier's matcher for neighbourly help: which volunteers fit a request, in what order
//! and why ([`suggest`], or [`Pool::suggest`] for many requests), and who should take which
//! of all open requests ([`propose`], exact; [`propose_greedy`] to compare).
//!
//! No HTTP, no database, no UI text: a service fills [`Volunteer`] and [`Request`] from its
//! rows, and the web app renders each [`Reason`] in the user's language.

mod assign;
mod batch;
mod model;
pub mod score;
mod suggest;

pub use batch::{Assignment, Proposal, propose, propose_greedy};
pub use model::{
    Category, CategorySet, QuarterId, Request, RequestId, ResidentId, TimeRange, TimeWindow,
    Urgency, Volunteer, VolunteerId, WeeklySlot,
};
pub use score::{Fit, Query, Reason, assess};
pub use suggest::{Pool, Suggestion, suggest};
/// Re-exported because [`WeeklySlot`], [`TimeWindow`] and [`Reason`] use them.
pub use time::{Date, Weekday};
