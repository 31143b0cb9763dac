//! The write path of responses: one task that group-commits whatever is queued.
//!
//! Handlers validate a response (in parallel, on the request workers), then hand it to
//! this task over a bounded channel and wait for its commit. The task takes everything
//! waiting — up to `MAX_BATCH` — and stores it in one transaction: the responses in one
//! multi-row insert (`ON CONFLICT (id) DO NOTHING RETURNING id`: the client's key is
//! unique, so a retry is refused by the constraint), each access code or
//! participation ticket as a conditional update, and the answer counters as one upsert.
//! One fsync then acknowledges the whole batch. Should a batch fail as a whole, each of
//! its responses is tried again alone, so one bad response cannot fail its neighbours.
//!
//! SQLite has one writer task; PostgreSQL two per instance ([`POSTGRES_WRITERS`]), taking
//! turns at the queue, with a pool of connections of their own (`Db::for_ingest`).
//! Writers and instances write at once on PostgreSQL, so a batch takes its row locks in
//! one order (tickets, then responses, each sorted by key) and its tallies under
//! per-survey advisory locks, sorted too.
//!
//! SQLite's writer sends a batch's whole transaction as one query, guarded so that it
//! commits only if every ticket was free, every response new and every tally what the
//! writer remembered ([`store_in_one_trip`]); otherwise the batch is stored again step
//! by step, the way PostgreSQL always stores it.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Set, Statement, Value, Values,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::counters::{self, GroupOf, Known};
use crate::db::Db;
use crate::entities::{access_code, survey_draft, survey_participant, survey_response};
use crate::error::ApiError;
use shared::DatabaseKind;

/// Most responses committed together.
pub const MAX_BATCH: usize = 512;
/// Responses waiting for the writer before new ones are told to wait.
const QUEUE: usize = 4096;
/// A batch stored the quick way held a retry of a stored response, or met a tally
/// changed behind the writer: it is rolled back and stored again step by step.
const REDO: &str = "the batch must be stored step by step";

/// What must hold, once, for a response to be stored.
#[derive(Debug, Clone)]
pub enum Ticket {
    /// Anyone with the link: only the key must be new.
    None,
    /// A single-use code (its hash) that this response redeems.
    Code {
        hash: String,
        redeemed_at: OffsetDateTime,
    },
    /// A signed-in person who may answer once.
    Participant(Uuid),
}

impl Ticket {
    /// Where this ticket's row comes in the order a batch locks rows in.
    fn lock_order(&self) -> (u8, &[u8]) {
        match self {
            Ticket::None => (0, &[]),
            Ticket::Code { hash, .. } => (1, hash.as_bytes()),
            Ticket::Participant(user) => (2, user.as_bytes()),
        }
    }
}

/// A validated response, ready to store.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: Uuid,
    pub survey_id: Uuid,
    pub version: i32,
    pub channel: String,
    pub quarter_id: Option<Uuid>,
    pub age_band: Option<String>,
    pub user_id: Option<Uuid>,
    pub entered_by: Option<Uuid>,
    /// The answers as a JSON document (serialised on the request's worker, not the writer).
    pub answers: String,
    pub submitted_at: OffsetDateTime,
    pub ticket: Ticket,
    pub increments: counters::Increments,
    /// A signed-in person's draft to delete with the response.
    pub clears_draft_of: Option<Uuid>,
}

/// What became of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored,
    /// A response with this key was stored before: the retry changes nothing.
    Duplicate,
    /// The code was used by another response.
    CodeUsed,
    /// This person has answered already.
    AlreadyAnswered,
}

struct Job {
    submission: Submission,
    reply: oneshot::Sender<Result<Outcome, ApiError>>,
}

/// The handle requests use to store responses.
#[derive(Clone)]
pub struct Ingest {
    tx: mpsc::Sender<Job>,
}

impl Ingest {
    /// Starts the writer on a thread of its own, with a runtime of its own: it spends
    /// its time waiting for the database's answers, and on a runtime shared with the
    /// request handlers each answer would also wait for a worker to pick the writer up.
    /// The thread ends when the last handle is dropped.
    ///
    /// On SQLite the runtime has timers but no I/O driver: sqlx's SQLite connection is a
    /// thread of its own that answers over channels, and waking a runtime parked in
    /// `epoll_wait` cost its thread a write to an eventfd for every answer, where a
    /// runtime without I/O is woken like any parked thread. PostgreSQL's connections
    /// are sockets, which a new connection registers with the runtime that opens it.
    pub fn start(db: Db) -> std::io::Result<Ingest> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let mut builder = tokio::runtime::Builder::new_current_thread();
        builder.enable_time();
        if db.kind() == DatabaseKind::Postgres {
            builder.enable_io();
        }
        let runtime = builder.build()?;
        std::thread::Builder::new()
            .name("response-writer".into())
            .spawn(move || runtime.block_on(run(db, rx)))?;
        Ok(Ingest { tx })
    }

    /// Stores a response; returns once it is committed (or refused).
    pub async fn submit(&self, submission: Submission) -> Result<Outcome, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job { submission, reply })
            .await
            .map_err(|_| ApiError::Unavailable("the response writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Unavailable("the response writer has stopped".into()))?
    }
}

/// Writers taking turns at the queue on PostgreSQL. A batch there is a chain of round
/// trips, and the one before it holds its survey's tally lock only from reading the
/// tallies to `COMMIT`: while one writer is there, the next sends its `BEGIN` and
/// response insert.
const POSTGRES_WRITERS: usize = 2;

async fn run(db: Db, rx: mpsc::Receiver<Job>) {
    if db.kind() == DatabaseKind::Sqlite {
        // SQLite has one writer, this one: it can remember the tallies it wrote.
        let mut known = Known::default();
        let mut rx = rx;
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            write(&db, std::mem::take(&mut jobs), Some(&mut known)).await;
        }
        return;
    }
    // Twice as many connections as writers: a connection is pinged on its way back to
    // the pool, and the writer that let it go need not wait for that.
    let db = match db.for_ingest(2 * POSTGRES_WRITERS as u32).await {
        Ok(own) => own,
        Err(error) => {
            tracing::warn!(%error, "no pool of its own for the response writer; sharing the server's");
            db
        }
    };
    let queue = tokio::sync::Mutex::new(rx);
    let writer = || async {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        // One writer at a time waits at the queue and takes what is there; the lock is
        // let go before the batch is stored, so the other can take the next.
        while queue.lock().await.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            write(&db, std::mem::take(&mut jobs), None).await;
        }
    };
    futures_util::future::join_all((0..POSTGRES_WRITERS).map(|_| writer())).await;
}

/// Stores one batch taken from the queue and answers each of its requests.
async fn write(db: &Db, batch: Vec<Job>, mut known: Option<&mut Known>) {
    let submissions: Vec<&Submission> = batch.iter().map(|j| &j.submission).collect();
    match store_knowing(db, &submissions, known.as_deref_mut()).await {
        Ok(outcomes) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                let _ = job.reply.send(Ok(outcome));
            }
        }
        Err(batch_error) => {
            tracing::warn!(error = %batch_error, size = batch.len(), "batch failed; storing its responses one by one");
            for job in batch {
                let result = store_knowing(db, &[&job.submission], known.as_deref_mut())
                    .await
                    .map_err(ApiError::from)
                    .and_then(|o| {
                        o.into_iter().next().ok_or_else(|| {
                            ApiError::Internal(anyhow::anyhow!("no outcome for a response"))
                        })
                    });
                let _ = job.reply.send(result);
            }
        }
    }
}

/// Stores a batch in one transaction; one outcome per submission, in order.
pub async fn store(db: &Db, batch: &[&Submission]) -> Result<Vec<Outcome>, DbErr> {
    store_knowing(db, batch, None).await
}

/// Stores a batch the way the writer does, remembering tallies in `known` from batch to
/// batch (SQLite's quick way; PostgreSQL ignores it). For tests of that way.
pub async fn store_remembering(
    db: &Db,
    batch: &[&Submission],
    known: &mut Known,
) -> Result<Vec<Outcome>, DbErr> {
    store_knowing(db, batch, Some(known)).await
}

/// [`store`], with the tallies the writer knows. Should the quick way fail ([`REDO`]),
/// the batch is rolled back and stored again step by step, reading every tally.
async fn store_knowing(
    db: &Db,
    batch: &[&Submission],
    known: Option<&mut Known>,
) -> Result<Vec<Outcome>, DbErr> {
    let Some(known) = known.filter(|_| db.kind() == DatabaseKind::Sqlite) else {
        return store_once(db, batch).await;
    };
    match store_in_one_trip(db, batch, known).await {
        Err(DbErr::Custom(why)) if why == REDO || why == counters::STALE_TALLY => {
            tracing::debug!(why, "storing a batch again, step by step");
            known.forget();
            store_once(db, batch).await
        }
        other => other,
    }
}

/// Guards of SQLite's one-trip batch (below), made once per connection: inserting a row
/// whose two numbers differ into `batch_check` rolls the whole transaction back.
const BATCH_CHECK: &str = r#"CREATE TEMP VIEW IF NOT EXISTS "batch_check" ("expected", "actual") AS SELECT 0, 0;
CREATE TEMP TRIGGER IF NOT EXISTS "batch_check" INSTEAD OF INSERT ON "batch_check"
WHEN NEW."expected" IS NOT NEW."actual"
BEGIN SELECT RAISE(ROLLBACK, 'quartier: the batch must be stored step by step'); END"#;

/// The statements of one SQLite transaction, sent as one query: sqlx runs a query's
/// statements in turn, each binding its own share of the values.
struct Trip {
    sql: String,
    values: Vec<Value>,
}

impl Trip {
    fn new() -> Trip {
        Trip {
            sql: format!("{BATCH_CHECK};\nBEGIN IMMEDIATE"),
            values: Vec::new(),
        }
    }

    /// Adds a statement; with `expected`, a guard that rolls the transaction back unless
    /// the statement changed exactly that many rows.
    fn push(&mut self, statement: Statement, expected: Option<usize>) {
        self.sql.push_str(";\n");
        self.sql.push_str(&statement.sql);
        self.values
            .extend(statement.values.map(|v| v.0).unwrap_or_default());
        if let Some(expected) = expected {
            self.sql
                .push_str(";\nINSERT INTO \"batch_check\" VALUES (?, changes())");
            self.values.push(Value::from(expected as i64));
        }
    }
}

/// A statement without its `RETURNING` clause, for the one-trip batch: its guard counts
/// the rows it changed (`changes()`), and sqlx hands every returned row to the writer
/// on its own, waking the writer's thread for each.
fn unreturning(mut statement: Statement) -> Statement {
    if let Some(at) = statement.sql.rfind(" RETURNING ") {
        statement.sql.truncate(at);
    }
    statement
}

/// SQLite's writer, for a batch whose tallies it knows: the whole transaction in one
/// round trip to the connection's thread — `BEGIN IMMEDIATE`, the tickets, the
/// responses, the drafts they clear, the tallies, `COMMIT` — where each statement
/// would be a round trip of its own. The batch is written as if every ticket were
/// free and every response new, and every tally is written only if it still holds what
/// the writer remembers; after each statement a guard compares the rows it changed with
/// the rows expected and rolls the transaction back if they differ (a used code, a
/// second answer, a retry of a stored response, a tally written elsewhere), so `COMMIT`
/// is reached only when the batch is exactly what was counted. Fails with [`REDO`]
/// when it was not.
async fn store_in_one_trip(
    db: &Db,
    batch: &[&Submission],
    known: &mut Known,
) -> Result<Vec<Outcome>, DbErr> {
    let started = std::time::Instant::now();
    let mut seen: HashSet<Uuid> = HashSet::with_capacity(batch.len());
    let mut rows: Vec<&Submission> = batch
        .iter()
        .copied()
        .filter(|s| seen.insert(s.id))
        .collect();
    rows.sort_by_key(|s| s.id);
    let mut totals = counters::Batch::default();
    for s in &rows {
        count(&mut totals, s);
    }
    // Tallies the writer does not remember are read outside the transaction: the
    // conditional write and its guard catch one that changes meanwhile.
    let prepared = counters::prepare_remembered(db.writer(), totals, known).await?;
    let counted = started.elapsed();

    let backend = DbBackend::Sqlite;
    let mut trip = Trip::new();
    let tickets = take_tickets(backend, &rows);
    let ticket_count = tickets.iter().map(|(_, n)| n).sum::<usize>();
    for (statement, expected) in tickets {
        trip.push(statement, Some(expected));
    }
    trip.push(
        unreturning(insert_responses(backend, &rows)),
        Some(rows.len()),
    );
    for s in &rows {
        if let Some(user) = s.clears_draft_of {
            trip.push(clear_draft(s.survey_id, user).build(backend), None);
        }
    }
    for (statement, chunk) in prepared
        .statements(backend)?
        .into_iter()
        .zip(prepared.rows.chunks(counters::CHUNK))
    {
        trip.push(unreturning(statement), Some(chunk.len()));
    }
    trip.sql.push_str(";\nCOMMIT");

    let mut conn = db
        .writer()
        .get_sqlite_connection_pool()
        .acquire()
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
    let ran = sea_orm::sqlx::query_with(
        sea_orm::sqlx::AssertSqlSafe(trip.sql),
        sea_query_sqlx::SqlxValues(Values(trip.values)),
    )
    .execute(&mut *conn)
    .await;
    if let Err(error) = ran {
        // A guard has rolled back already; any other failure leaves the transaction
        // open on a connection that goes back to the pool: end it here.
        let _ = sea_orm::sqlx::raw_sql(sea_orm::sqlx::AssertSqlSafe("ROLLBACK"))
            .execute(&mut *conn)
            .await;
        tracing::debug!(%error, "one-trip batch refused");
        return Err(DbErr::Custom(REDO.into()));
    }
    drop(conn);
    known.committed(prepared.rows);
    tracing::debug!(
        size = batch.len(),
        tickets = ticket_count,
        count_ms = counted.as_secs_f64() * 1000.0,
        trip_ms = (started.elapsed() - counted).as_secs_f64() * 1000.0,
        "batch of responses stored in one trip"
    );
    let mut first = HashSet::with_capacity(batch.len());
    Ok(batch
        .iter()
        .map(|s| {
            if first.insert(s.id) {
                Outcome::Stored
            } else {
                Outcome::Duplicate
            }
        })
        .collect())
}

/// The statement that takes a response's ticket, if it has one: a code is redeemed only
/// if it was not, a person is recorded as having answered only once. It changes one row
/// if the ticket was free.
fn take_ticket(backend: DbBackend, s: &Submission) -> Option<Statement> {
    match &s.ticket {
        Ticket::None => None,
        Ticket::Code { hash, redeemed_at } => Some(
            access_code::Entity::update_many()
                .col_expr(access_code::Column::RedeemedAt, Expr::value(*redeemed_at))
                .filter(access_code::Column::SurveyId.eq(s.survey_id))
                .filter(access_code::Column::CodeHash.eq(hash.as_str()))
                .filter(access_code::Column::RedeemedAt.is_null())
                .build(backend),
        ),
        Ticket::Participant(user) => Some(
            survey_participant::Entity::insert(survey_participant::ActiveModel {
                survey_id: Set(s.survey_id),
                user_id: Set(*user),
            })
            .on_conflict_do_nothing()
            .build(backend),
        ),
    }
}

/// SQLite's one-trip batch: the statements that take all of a batch's tickets, with how
/// many rows each must change — every code redeemed by one `UPDATE … FROM (VALUES …)`,
/// every person recorded by one insert — since each statement of a query costs the
/// writer's connection its preparation (the query's text differs from batch to batch).
/// Two responses with one ticket change one row, so the guard sends them the careful way.
fn take_tickets(backend: DbBackend, rows: &[&Submission]) -> Vec<(Statement, usize)> {
    let mut statements = Vec::new();
    let mut codes = String::new();
    let mut values = Vec::new();
    let mut people = Vec::new();
    for s in rows {
        match &s.ticket {
            Ticket::None => {}
            Ticket::Code { hash, redeemed_at } => {
                codes.push_str(if values.is_empty() {
                    "(?,?,?)"
                } else {
                    ",(?,?,?)"
                });
                values.extend([
                    Value::from(s.survey_id),
                    Value::from(hash.as_str()),
                    Value::from(*redeemed_at),
                ]);
            }
            Ticket::Participant(user) => people.push(survey_participant::ActiveModel {
                survey_id: Set(s.survey_id),
                user_id: Set(*user),
            }),
        }
    }
    if !values.is_empty() {
        let n = values.len() / 3;
        statements.push((
            Statement::from_sql_and_values(
                backend,
                format!(
                    r#"UPDATE "access_codes" SET "redeemed_at" = "t"."column3" FROM (VALUES {codes}) AS "t"
                    WHERE "access_codes"."code_hash" = "t"."column2"
                    AND "access_codes"."survey_id" = "t"."column1" AND "access_codes"."redeemed_at" IS NULL"#
                ),
                values,
            ),
            n,
        ));
    }
    if !people.is_empty() {
        let n = people.len();
        statements.push((
            survey_participant::Entity::insert_many(people)
                .on_conflict_do_nothing()
                .build(backend),
            n,
        ));
    }
    statements
}

/// Deletes a signed-in person's draft of a survey, once the response is stored.
fn clear_draft(survey: Uuid, user: Uuid) -> sea_orm::DeleteMany<survey_draft::Entity> {
    survey_draft::Entity::delete_many()
        .filter(survey_draft::Column::SurveyId.eq(survey))
        .filter(survey_draft::Column::UserId.eq(user))
}

/// The careful way: each step waits for the one before, and every tally is read under
/// the write lock.
async fn store_once(db: &Db, batch: &[&Submission]) -> Result<Vec<Outcome>, DbErr> {
    let started = std::time::Instant::now();
    // The first of several submissions with one key stands for all of them.
    let mut first_with_key: HashMap<Uuid, usize> = HashMap::new();
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    for (i, s) in batch.iter().enumerate() {
        match first_with_key.get(&s.id) {
            Some(&first) => repeats.push((i, first)),
            None => {
                first_with_key.insert(s.id, i);
            }
        }
    }
    let unique: Vec<usize> = {
        let mut v: Vec<usize> = first_with_key.values().copied().collect();
        v.sort_unstable();
        v
    };
    let txn = db.begin_write().await?;
    let began = started.elapsed();
    let mut outcomes: Vec<Option<Outcome>> = vec![None; batch.len()];

    // Tickets first: a used code or a second answer of one person is refused here.
    // In one order of rows (codes, then people, each sorted) so that batches writing at
    // once cannot each hold a row the other waits for.
    let mut by_ticket = unique.clone();
    by_ticket.sort_by(|&a, &b| {
        batch[a]
            .ticket
            .lock_order()
            .cmp(&batch[b].ticket.lock_order())
    });
    let mut ticket_taken: Vec<usize> = Vec::new();
    let mut ticket_failed: Vec<usize> = Vec::new();
    let backend = txn.get_database_backend();
    for &i in &by_ticket {
        let Some(statement) = take_ticket(backend, batch[i]) else {
            continue;
        };
        let won = txn.execute_raw(statement).await?.rows_affected() == 1;
        if won {
            ticket_taken.push(i);
        } else {
            ticket_failed.push(i);
        }
    }

    let tickets_done = started.elapsed();
    // The responses, in one statement; the key decides what is new.
    let failed: HashSet<usize> = ticket_failed.iter().copied().collect();
    let mut to_insert: Vec<usize> = unique
        .iter()
        .copied()
        .filter(|i| !failed.contains(i))
        .collect();
    // Keys in order, for the same reason as the tickets.
    to_insert.sort_by_key(|&i| batch[i].id);
    let rows: Vec<&Submission> = to_insert.iter().map(|&i| batch[i]).collect();
    let inserted: HashSet<Uuid> = if rows.is_empty() {
        HashSet::new()
    } else {
        query_ids(&txn, insert_responses(backend, &rows)).await?
    };

    // A refused ticket may belong to a retry of a stored response: then it is a duplicate.
    let refused_keys: Vec<Uuid> = ticket_failed.iter().map(|&i| batch[i].id).collect();
    let existing: HashSet<Uuid> = if refused_keys.is_empty() {
        HashSet::new()
    } else {
        survey_response::Entity::find()
            .select_only()
            .column(survey_response::Column::Id)
            .filter(survey_response::Column::Id.is_in(refused_keys))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .into_iter()
            .collect()
    };
    for &i in &ticket_failed {
        let s = batch[i];
        outcomes[i] = Some(if existing.contains(&s.id) {
            Outcome::Duplicate
        } else {
            match s.ticket {
                Ticket::Participant(_) => Outcome::AlreadyAnswered,
                _ => Outcome::CodeUsed,
            }
        });
    }

    let inserted_at = started.elapsed();
    let mut totals = counters::Batch::default();
    for &i in &to_insert {
        let s = batch[i];
        if inserted.contains(&s.id) {
            outcomes[i] = Some(Outcome::Stored);
            count(&mut totals, s);
            if let Some(user) = s.clears_draft_of {
                clear_draft(s.survey_id, user).exec(&txn).await?;
            }
        } else {
            // The key was stored before. A ticket this retry took is given back.
            outcomes[i] = Some(Outcome::Duplicate);
            if ticket_taken.contains(&i) {
                release(&txn, s).await?;
            }
        }
    }
    let counted_at = started.elapsed();
    counters::store(&txn, totals.totals()).await?;
    let tallied_at = started.elapsed();
    txn.commit().await?;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    tracing::debug!(
        size = batch.len(),
        begin_ms = ms(began),
        tickets_ms = ms(tickets_done - began),
        insert_ms = ms(inserted_at - tickets_done),
        accumulate_ms = ms(counted_at - inserted_at),
        tallies_ms = ms(tallied_at - counted_at),
        commit_ms = ms(started.elapsed() - tallied_at),
        "batch of responses stored"
    );

    for (i, first) in repeats {
        outcomes[i] = match outcomes[first] {
            Some(Outcome::Stored) => Some(Outcome::Duplicate),
            other => other,
        };
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Duplicate))
        .collect())
}

/// The columns of `survey_responses`, in the order both statements below bind them.
const RESPONSE_COLUMNS: &str = r#""id", "survey_id", "version", "channel", "quarter_id", "age_band", "user_id", "entered_by", "answers", "submitted_at""#;

/// Inserts responses in one statement; returns the keys that were new (a key stored
/// before is left alone by `ON CONFLICT (id) DO NOTHING`).
///
/// Written by hand through SeaORM's `Statement` rather than `insert_many`: the batch is
/// the writer's critical path, and building 10 values per row as an `ActiveModel`, then as
/// a query-builder expression, cost more than SQLite's own work. On PostgreSQL the rows
/// travel as one `jsonb` array unpacked by `jsonb_to_recordset` (as `UNNEST` would, but
/// nullable columns need no sentinel): the statement's text never changes, so it is
/// parsed and planned once per connection instead of once per batch size, which made a
/// batch take 50–200 ms.
fn insert_responses(backend: DbBackend, rows: &[&Submission]) -> Statement {
    match backend {
        DbBackend::Postgres => {
            let mut json = String::with_capacity(rows.len() * (rows[0].answers.len() + 400));
            json.push('[');
            for (n, s) in rows.iter().enumerate() {
                if n > 0 {
                    json.push(',');
                }
                response_json(&mut json, s);
            }
            json.push(']');
            Statement::from_sql_and_values(
                backend,
                format!(
                    r#"INSERT INTO "survey_responses" ({RESPONSE_COLUMNS})
                    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "survey_id" uuid,
                        "version" integer, "channel" varchar, "quarter_id" uuid, "age_band" varchar,
                        "user_id" uuid, "entered_by" uuid, "answers" jsonb, "submitted_at" timestamptz)
                    ON CONFLICT ("id") DO NOTHING RETURNING "id""#
                ),
                [Value::from(json)],
            )
        }
        _ => {
            let mut sql = format!(r#"INSERT INTO "survey_responses" ({RESPONSE_COLUMNS}) VALUES "#);
            let mut values = Vec::with_capacity(rows.len() * 10);
            for (n, s) in rows.iter().enumerate() {
                sql.push_str(if n == 0 {
                    "(?,?,?,?,?,?,?,?,?,?)"
                } else {
                    ",(?,?,?,?,?,?,?,?,?,?)"
                });
                values.extend([
                    Value::from(s.id),
                    Value::from(s.survey_id),
                    Value::from(s.version),
                    Value::from(s.channel.as_str()),
                    Value::from(s.quarter_id),
                    Value::from(s.age_band.clone()),
                    Value::from(s.user_id),
                    Value::from(s.entered_by),
                    Value::from(s.answers.as_str()),
                    Value::from(s.submitted_at),
                ]);
            }
            sql.push_str(r#" ON CONFLICT ("id") DO NOTHING RETURNING "id""#);
            Statement::from_sql_and_values(backend, sql, values)
        }
    }
}

/// Runs a response insert; returns the keys it stored.
async fn query_ids<C: ConnectionTrait>(txn: &C, insert: Statement) -> Result<HashSet<Uuid>, DbErr> {
    txn.query_all_raw(insert)
        .await?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect()
}

/// Counts one response in a batch's totals.
fn count<'a>(totals: &mut counters::Batch<'a>, s: &'a Submission) {
    let group = GroupOf {
        survey_id: s.survey_id,
        quarter_id: s.quarter_id,
        age_band: s.age_band.as_deref(),
        channel: &s.channel,
    };
    totals.count(group, &s.increments);
}

/// One response as a JSON object for `jsonb_to_recordset`.
fn response_json(out: &mut String, s: &Submission) {
    fn text(out: &mut String, value: Option<&str>) {
        match value {
            // A `str` always serialises.
            Some(v) => out.push_str(&serde_json::to_string(v).unwrap_or_default()),
            None => out.push_str("null"),
        }
    }
    fn uuid(out: &mut String, value: Option<Uuid>) {
        match value {
            Some(v) => {
                out.push('"');
                out.push_str(v.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
                out.push('"');
            }
            None => out.push_str("null"),
        }
    }
    out.push_str(r#"{"id":"#);
    uuid(out, Some(s.id));
    out.push_str(r#","survey_id":"#);
    uuid(out, Some(s.survey_id));
    out.push_str(&format!(r#","version":{},"channel":"#, s.version));
    text(out, Some(&s.channel));
    out.push_str(r#","quarter_id":"#);
    uuid(out, s.quarter_id);
    out.push_str(r#","age_band":"#);
    text(out, s.age_band.as_deref());
    out.push_str(r#","user_id":"#);
    uuid(out, s.user_id);
    out.push_str(r#","entered_by":"#);
    uuid(out, s.entered_by);
    out.push_str(r#","answers":"#);
    out.push_str(&s.answers);
    out.push_str(r#","submitted_at":"#);
    // PostgreSQL keeps microseconds, as its binary protocol would have.
    let at = s
        .submitted_at
        .replace_nanosecond(s.submitted_at.nanosecond() / 1000 * 1000)
        .unwrap_or(s.submitted_at);
    text(out, at.format(&Rfc3339).ok().as_deref());
    out.push('}');
}

/// Gives back a ticket taken by a retry whose response already exists.
async fn release<C: sea_orm::ConnectionTrait>(txn: &C, s: &Submission) -> Result<(), DbErr> {
    match &s.ticket {
        Ticket::None => {}
        Ticket::Code { hash, .. } => {
            access_code::Entity::update_many()
                .col_expr(
                    access_code::Column::RedeemedAt,
                    Expr::value(Option::<OffsetDateTime>::None),
                )
                .filter(access_code::Column::CodeHash.eq(hash.as_str()))
                .exec(txn)
                .await?;
        }
        Ticket::Participant(user) => {
            survey_participant::Entity::delete_many()
                .filter(survey_participant::Column::SurveyId.eq(s.survey_id))
                .filter(survey_participant::Column::UserId.eq(*user))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}
