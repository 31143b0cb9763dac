//! Participatory surveys: authoring, access codes, answering (through a group-committing
//! writer) and results.

pub mod anonymity;
mod answering;
pub mod authoring;
mod cache;
mod codes;
pub mod counters;
pub mod demo;
pub mod ingest;
mod mine;
mod results;
mod routes;
pub mod stored;

pub use answering::{FirstPaint, first_paint};
pub use cache::{PublicBody, SurveyCache};
pub use codes::lookup as lookup_code;
pub use ingest::Ingest;
pub use routes::routes;
