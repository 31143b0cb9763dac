//! The counters a response adds to its survey's results, and writing them in bulk.
//!
//! Each response adds 1 to a handful of counters: per question answered (`choice` = ''),
//! per option chosen, per matrix row and scale point, and one per day. The counters are
//! kept per group (quarter, age band, channel), all of a group's in one row of
//! `survey_tallies`, so a filtered result reads a few hundred rows whatever the number of
//! responses, and a batch of responses rewrites one row per group it touches.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use serde::{Deserialize, Serialize};
use shared::surveys::{Answer, Answers};
use uuid::Uuid;

use super::stored::DAY;

/// Identifies one group's tally.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TallyKey {
    pub survey_id: Uuid,
    pub quarter_key: String,
    pub age_band: String,
    pub channel: String,
}

/// One counter: how many, and for numbers their sum, minimum and maximum. Stored as
/// the array `[n, total, min, max]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell(pub i64, pub f64, pub Option<f64>, pub Option<f64>);

impl Cell {
    fn add(&mut self, value: Option<f64>) {
        self.0 += 1;
        if let Some(v) = value {
            self.1 += v;
            self.2 = Some(self.2.map_or(v, |m| m.min(v)));
            self.3 = Some(self.3.map_or(v, |m| m.max(v)));
        }
    }

    /// Adds another counter of the same question and choice.
    pub fn merge(&mut self, other: &Cell) {
        self.0 += other.0;
        self.1 += other.1;
        self.2 = match (self.2, other.2) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.3 = match (self.3, other.3) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    pub fn n(&self) -> i64 {
        self.0
    }
    pub fn total(&self) -> f64 {
        self.1
    }
    pub fn min(&self) -> Option<f64> {
        self.2
    }
    pub fn max(&self) -> Option<f64> {
        self.3
    }
}

/// Every counter of one group: question → choice → counter.
pub type Cells = BTreeMap<String, BTreeMap<String, Cell>>;

/// One group's responses and counters (a row of `survey_tallies`, or what a batch adds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub responses: i64,
    pub cells: Cells,
}

impl Tally {
    /// Reads a stored tally; a document that does not parse is an error, never zero.
    pub fn from_row(responses: i64, counts: &str) -> Result<Tally, DbErr> {
        let cells = serde_json::from_str(counts)
            .map_err(|e| DbErr::Custom(format!("unreadable survey tally: {e}")))?;
        Ok(Tally { responses, cells })
    }

    /// Adds another tally of the same group.
    pub fn merge(&mut self, other: &Tally) {
        self.responses += other.responses;
        for (question, choices) in &other.cells {
            let mine = self.cells.entry(question.clone()).or_default();
            for (choice, cell) in choices {
                mine.entry(choice.clone()).or_default().merge(cell);
            }
        }
    }

    fn counts_json(&self) -> Result<String, DbErr> {
        serde_json::to_string(&self.cells).map_err(|e| DbErr::Custom(format!("survey tally: {e}")))
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
    totals: &mut BTreeMap<TallyKey, Tally>,
    survey_id: Uuid,
    group: &Group,
    increments: &[(String, String, Option<f64>)],
) {
    let tally = totals
        .entry(TallyKey {
            survey_id,
            quarter_key: group.quarter_key.clone(),
            age_band: group.age_band.clone(),
            channel: group.channel.clone(),
        })
        .or_default();
    tally.responses += 1;
    for (question, choice, value) in increments {
        let choices = match tally.cells.get_mut(question) {
            Some(c) => c,
            None => tally.cells.entry(question.clone()).or_default(),
        };
        match choices.get_mut(choice) {
            Some(cell) => cell.add(*value),
            None => choices.entry(choice.clone()).or_default().add(*value),
        }
    }
}

/// Groups per statement on SQLite, well under its parameter limit.
const CHUNK: usize = 500;

/// Distinguishes the tally locks from other advisory locks (`pg_advisory_xact_lock(int, int)`
/// has a key space of its own, apart from the migrations' single-key lock).
const TALLY_LOCK_CLASS: i32 = 0x5154_414c; // "QTAL"

/// Adds a batch's totals to the stored tallies, in the caller's transaction: reads the
/// tallies of the groups the batch touches, adds, and writes them back whole — one row
/// per group, however many questions. The read and the write must not interleave with
/// another batch's: on SQLite the single writer's `BEGIN IMMEDIATE` holds the file's
/// write lock; on PostgreSQL, where several instances write at once, the batch first
/// takes a transaction-scoped advisory lock per survey, in sorted order (no deadlock).
pub async fn store<C: ConnectionTrait>(
    conn: &C,
    mut totals: BTreeMap<TallyKey, Tally>,
) -> Result<(), DbErr> {
    if totals.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let keys: Vec<TallyKey> = totals.keys().cloned().collect();
    if backend == DbBackend::Postgres {
        let mut surveys: Vec<Uuid> = keys.iter().map(|k| k.survey_id).collect();
        surveys.dedup();
        for survey in surveys {
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                "SELECT pg_advisory_xact_lock($1, $2)",
                [Value::from(TALLY_LOCK_CLASS), Value::from(lock_key(survey))],
            ))
            .await?;
        }
    }
    for chunk in keys.chunks(CHUNK) {
        for row in conn.query_all_raw(select_tallies(backend, chunk)).await? {
            let key = TallyKey {
                survey_id: row.try_get("", "survey_id")?,
                quarter_key: row.try_get("", "quarter_key")?,
                age_band: row.try_get("", "age_band")?,
                channel: row.try_get("", "channel")?,
            };
            let stored = Tally::from_row(
                row.try_get("", "responses")?,
                &row.try_get::<String>("", "counts")?,
            )?;
            if let Some(total) = totals.get_mut(&key) {
                total.merge(&stored);
            }
        }
    }
    let rows: Vec<(TallyKey, Tally)> = totals.into_iter().collect();
    for chunk in rows.chunks(CHUNK) {
        conn.execute_raw(write_tallies(backend, chunk)?).await?;
    }
    Ok(())
}

/// The advisory lock key of a survey's tallies: 32 bits of its id (a collision only
/// makes two surveys' batches wait for each other).
fn lock_key(survey: Uuid) -> i32 {
    let b = survey.as_bytes();
    i32::from_be_bytes([b[12], b[13], b[14], b[15]])
}

const KEY_TYPES: &str =
    r#""survey_id" uuid, "quarter_key" varchar, "age_band" varchar, "channel" varchar"#;

fn key_json(k: &TallyKey) -> serde_json::Value {
    serde_json::json!({
        "survey_id": k.survey_id, "quarter_key": k.quarter_key,
        "age_band": k.age_band, "channel": k.channel,
    })
}

/// Reads the stored tallies of some groups. On PostgreSQL the keys arrive as one `jsonb`
/// array, so the statement's text never changes (planned once per connection).
fn select_tallies(backend: DbBackend, keys: &[TallyKey]) -> Statement {
    const SELECT: &str = r#"SELECT "survey_id", "quarter_key", "age_band", "channel", "responses", "counts"
        FROM "survey_tallies" WHERE ("survey_id", "quarter_key", "age_band", "channel") IN "#;
    if backend == DbBackend::Postgres {
        let json = serde_json::Value::Array(keys.iter().map(key_json).collect()).to_string();
        return Statement::from_sql_and_values(
            backend,
            format!("{SELECT}(SELECT * FROM jsonb_to_recordset($1::jsonb) AS r({KEY_TYPES}))"),
            [Value::from(json)],
        );
    }
    let mut sql = format!("{SELECT}(VALUES ");
    let mut values = Vec::with_capacity(keys.len() * 4);
    for (n, k) in keys.iter().enumerate() {
        sql.push_str(if n == 0 { "(?,?,?,?)" } else { ",(?,?,?,?)" });
        values.extend([
            Value::from(k.survey_id),
            Value::from(k.quarter_key.as_str()),
            Value::from(k.age_band.as_str()),
            Value::from(k.channel.as_str()),
        ]);
    }
    sql.push(')');
    Statement::from_sql_and_values(backend, sql, values)
}

/// Writes tallies whole (their sums are already added up).
fn write_tallies(backend: DbBackend, rows: &[(TallyKey, Tally)]) -> Result<Statement, DbErr> {
    const INSERT: &str = r#"INSERT INTO "survey_tallies" ("survey_id", "quarter_key", "age_band", "channel", "responses", "counts") "#;
    const ON_CONFLICT: &str = r#" ON CONFLICT ("survey_id", "quarter_key", "age_band", "channel")
        DO UPDATE SET "responses" = excluded.responses, "counts" = excluded.counts"#;
    if backend == DbBackend::Postgres {
        let mut list = Vec::with_capacity(rows.len());
        for (k, t) in rows {
            let mut row = key_json(k);
            row["responses"] = t.responses.into();
            row["counts"] = t.counts_json()?.into();
            list.push(row);
        }
        let json = serde_json::Value::Array(list).to_string();
        return Ok(Statement::from_sql_and_values(
            backend,
            format!(
                "{INSERT}SELECT * FROM jsonb_to_recordset($1::jsonb) AS r({KEY_TYPES}, \
                 \"responses\" bigint, \"counts\" text){ON_CONFLICT}"
            ),
            [Value::from(json)],
        ));
    }
    let mut sql = format!("{INSERT}VALUES ");
    let mut values = Vec::with_capacity(rows.len() * 6);
    for (n, (k, t)) in rows.iter().enumerate() {
        sql.push_str(if n == 0 {
            "(?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?)"
        });
        values.extend([
            Value::from(k.survey_id),
            Value::from(k.quarter_key.as_str()),
            Value::from(k.age_band.as_str()),
            Value::from(k.channel.as_str()),
            Value::from(t.responses),
            Value::from(t.counts_json()?),
        ]);
    }
    sql.push_str(ON_CONFLICT);
    Ok(Statement::from_sql_and_values(backend, sql, values))
}
