//! The counters a response adds to its survey's results, and writing them in bulk.
//!
//! Each response adds 1 to a handful of counters: per question answered (`choice` = ''),
//! per option chosen, per matrix row and scale point, and one per day. Every counter is
//! kept per group (quarter, age band, channel), so a filtered result is a sum over a few
//! thousand rows, whatever the number of responses.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Set};
use shared::surveys::{Answer, Answers};
use uuid::Uuid;

use super::stored::DAY;
use crate::entities::survey_count;

/// Identifies one counter row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CounterKey {
    pub survey_id: Uuid,
    pub question: String,
    pub choice: String,
    pub quarter_key: String,
    pub age_band: String,
    pub channel: String,
}

/// What a batch adds to one counter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Delta {
    pub n: i64,
    pub total: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Delta {
    fn add(&mut self, value: Option<f64>) {
        self.n += 1;
        if let Some(v) = value {
            self.total += v;
            self.min = Some(self.min.map_or(v, |m| m.min(v)));
            self.max = Some(self.max.map_or(v, |m| m.max(v)));
        }
    }
}

/// The group a response is counted in.
#[derive(Debug, Clone)]
pub struct Group {
    pub quarter_key: String,
    pub age_band: String,
    pub channel: String,
}

/// The `#day` counter's key of a time: `YYYY-MM-DD` (UTC).
pub fn day_key(t: time::OffsetDateTime) -> String {
    let d = t.date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// (question, choice, numeric value) for every counter one response adds.
pub fn increments(answers: &Answers, day: &str) -> Vec<(String, String, Option<f64>)> {
    let mut out = vec![(DAY.to_owned(), day.to_owned(), None)];
    for (question, answer) in answers {
        let mut value = None;
        match answer {
            Answer::Choice { option, .. } => {
                out.push((question.clone(), option.clone(), None));
            }
            Answer::Choices { options, .. } => {
                for o in options {
                    out.push((question.clone(), o.clone(), None));
                }
            }
            Answer::Rating { value } => out.push((question.clone(), value.to_string(), None)),
            Answer::YesNo { value } => out.push((
                question.clone(),
                if *value { "yes" } else { "no" }.to_owned(),
                None,
            )),
            Answer::Number { value: v } => value = Some(*v),
            Answer::Matrix { rows } => {
                for (statement, point) in rows {
                    out.push((format!("{question}.{statement}"), point.clone(), None));
                }
            }
            Answer::Text { .. } | Answer::Date { .. } => {}
        }
        // "Answered" (and, for numbers, their sum, minimum and maximum).
        out.push((question.clone(), String::new(), value));
    }
    out
}

/// Adds one response's increments to a batch's totals.
pub fn accumulate(
    totals: &mut BTreeMap<CounterKey, Delta>,
    survey_id: Uuid,
    group: &Group,
    increments: &[(String, String, Option<f64>)],
) {
    for (question, choice, value) in increments {
        totals
            .entry(CounterKey {
                survey_id,
                question: question.clone(),
                choice: choice.clone(),
                quarter_key: group.quarter_key.clone(),
                age_band: group.age_band.clone(),
                channel: group.channel.clone(),
            })
            .or_default()
            .add(*value);
    }
}

/// Rows per upsert statement: 10 values each, well under SQLite's and PostgreSQL's
/// parameter limits.
const CHUNK: usize = 500;

/// Adds a batch's totals to the counters in one statement per 500 counters. The keys
/// come sorted (a `BTreeMap`), so concurrent batches on PostgreSQL lock rows in the same
/// order and cannot deadlock.
pub async fn upsert<C: ConnectionTrait>(
    conn: &C,
    totals: BTreeMap<CounterKey, Delta>,
) -> Result<(), DbErr> {
    let (least, greatest) = match conn.get_database_backend() {
        DbBackend::Postgres => ("LEAST", "GREATEST"),
        _ => ("MIN", "MAX"),
    };
    let min = format!(
        "{least}(COALESCE(survey_counts.min_value, excluded.min_value), \
         COALESCE(excluded.min_value, survey_counts.min_value))"
    );
    let max = format!(
        "{greatest}(COALESCE(survey_counts.max_value, excluded.max_value), \
         COALESCE(excluded.max_value, survey_counts.max_value))"
    );
    let rows: Vec<survey_count::ActiveModel> = totals
        .into_iter()
        .map(|(k, d)| survey_count::ActiveModel {
            survey_id: Set(k.survey_id),
            question: Set(k.question),
            choice: Set(k.choice),
            quarter_key: Set(k.quarter_key),
            age_band: Set(k.age_band),
            channel: Set(k.channel),
            n: Set(d.n),
            total: Set(d.total),
            min_value: Set(d.min),
            max_value: Set(d.max),
        })
        .collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        survey_count::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([
                    survey_count::Column::SurveyId,
                    survey_count::Column::Question,
                    survey_count::Column::Choice,
                    survey_count::Column::QuarterKey,
                    survey_count::Column::AgeBand,
                    survey_count::Column::Channel,
                ])
                .value(
                    survey_count::Column::N,
                    Expr::cust("survey_counts.n + excluded.n"),
                )
                .value(
                    survey_count::Column::Total,
                    Expr::cust("survey_counts.total + excluded.total"),
                )
                .value(survey_count::Column::MinValue, Expr::cust(min.clone()))
                .value(survey_count::Column::MaxValue, Expr::cust(max.clone()))
                .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}
