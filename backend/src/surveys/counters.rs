//! The counters a response adds to its survey's results, and writing them in bulk.
//!
//! Each response adds 1 to a handful of counters: per question answered (`choice` = ''),
//! per option chosen, per matrix row and scale point, and one per day. Every counter is
//! kept per group (quarter, age band, channel), so a filtered result is a sum over a few
//! thousand rows, whatever the number of responses.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use shared::surveys::{Answer, Answers};
use uuid::Uuid;

use super::stored::DAY;

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

/// Rows per upsert statement on SQLite: 10 values each, well under its parameter limit.
const CHUNK: usize = 500;

const COUNT_COLUMNS: &str = r#""survey_id", "question", "choice", "quarter_key", "age_band", "channel", "n", "total", "min_value", "max_value""#;

/// Adds a batch's totals to the counters. The keys come sorted (a `BTreeMap`), so
/// concurrent batches on PostgreSQL lock rows in the same order and cannot deadlock.
///
/// By hand through SeaORM's `Statement`, for the reasons given at `ingest::insert_responses`:
/// on SQLite one multi-row upsert per 500 counters, on PostgreSQL one statement of
/// constant text whose rows arrive as a `jsonb` array.
pub async fn upsert<C: ConnectionTrait>(
    conn: &C,
    totals: BTreeMap<CounterKey, Delta>,
) -> Result<(), DbErr> {
    if totals.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let (least, greatest) = match backend {
        DbBackend::Postgres => ("LEAST", "GREATEST"),
        _ => ("MIN", "MAX"),
    };
    let on_conflict = format!(
        r#" ON CONFLICT ("survey_id", "question", "choice", "quarter_key", "age_band", "channel")
        DO UPDATE SET "n" = survey_counts.n + excluded.n,
            "total" = survey_counts.total + excluded.total,
            "min_value" = {least}(COALESCE(survey_counts.min_value, excluded.min_value),
                COALESCE(excluded.min_value, survey_counts.min_value)),
            "max_value" = {greatest}(COALESCE(survey_counts.max_value, excluded.max_value),
                COALESCE(excluded.max_value, survey_counts.max_value))"#
    );
    if backend == DbBackend::Postgres {
        let rows: Vec<serde_json::Value> = totals
            .into_iter()
            .map(|(k, d)| {
                serde_json::json!({
                    "survey_id": k.survey_id, "question": k.question, "choice": k.choice,
                    "quarter_key": k.quarter_key, "age_band": k.age_band, "channel": k.channel,
                    "n": d.n, "total": d.total, "min_value": d.min, "max_value": d.max,
                })
            })
            .collect();
        let json = serde_json::Value::Array(rows).to_string();
        let sql = format!(
            r#"INSERT INTO "survey_counts" ({COUNT_COLUMNS})
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("survey_id" uuid, "question" varchar,
                "choice" varchar, "quarter_key" varchar, "age_band" varchar, "channel" varchar,
                "n" bigint, "total" double precision, "min_value" double precision,
                "max_value" double precision){on_conflict}"#
        );
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(json)],
        ))
        .await?;
        return Ok(());
    }
    let mut rows = totals.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = format!(r#"INSERT INTO "survey_counts" ({COUNT_COLUMNS}) VALUES "#);
        let mut values = Vec::with_capacity(CHUNK * 10);
        for (n, (k, d)) in rows.by_ref().take(CHUNK).enumerate() {
            sql.push_str(if n == 0 {
                "(?,?,?,?,?,?,?,?,?,?)"
            } else {
                ",(?,?,?,?,?,?,?,?,?,?)"
            });
            values.extend([
                Value::from(k.survey_id),
                Value::from(k.question),
                Value::from(k.choice),
                Value::from(k.quarter_key),
                Value::from(k.age_band),
                Value::from(k.channel),
                Value::from(d.n),
                Value::from(d.total),
                Value::from(d.min),
                Value::from(d.max),
            ]);
        }
        sql.push_str(&on_conflict);
        conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}
