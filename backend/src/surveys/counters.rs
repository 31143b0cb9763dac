//! The counters a response adds to its survey's results, and writing them in bulk.
//!
//! Each response adds 1 to a handful of counters: per question answered (`choice` = ''),
//! per option chosen, per matrix row and scale point, and one per day. The counters are
//! kept per group (quarter, age band, channel), all of a group's in one row of
//! `survey_tallies`, so a filtered result reads a few hundred rows whatever the number of
//! responses, and a batch of responses rewrites one row per group it touches.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use serde::{Deserialize, Serialize};
use shared::surveys::{Answer, Answers, OTHER, QuestionKind, SurveyDefinition};
use uuid::Uuid;

use super::stored::DAY;

/// Identifies one group's tally.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    pub survey_id: Uuid,
    pub quarter_key: String,
    pub age_band: String,
    pub channel: String,
}

/// One counter: how many, and for numbers their sum, minimum and maximum. Stored as
/// the number `n` when it counts no numbers (most counters: options, "answered"),
/// else as the array `[n, total, min, max]`; both read back (tallies written before the
/// short form hold arrays only).
///
/// The short form halves a group's tally (~2.3 → ~1.2 KB for the starter template), so
/// that several groups' rows share a page of the table: a batch touching six groups
/// wrote six tally pages to SQLite's log, and a page is the unit every commit writes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell(pub i64, pub f64, pub Option<f64>, pub Option<f64>);

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell(n, total, None, None) if *total == 0.0 => s.serialize_i64(*n),
            Cell(n, total, min, max) => (n, total, min, max).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Cell;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a count, or [count, total, min, max]")
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Cell, E> {
                i64::try_from(n)
                    .map(|n| Cell(n, 0.0, None, None))
                    .map_err(|_| E::custom("count out of range"))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Cell, A::Error> {
                let (n, total, min, max) =
                    Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Cell(n, total, min, max))
            }
        }
        d.deserialize_any(Visitor)
    }
}

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

    /// Adds another tally of the same group. Costs what `other` holds: merge a batch
    /// into the stored tally, not the other way round.
    pub fn merge(&mut self, other: &Tally) {
        self.responses += other.responses;
        for (question, choices) in &other.cells {
            let mine = match self.cells.get_mut(question) {
                Some(mine) => mine,
                None => self.cells.entry(question.clone()).or_default(),
            };
            for (choice, cell) in choices {
                match mine.get_mut(choice) {
                    Some(c) => c.merge(cell),
                    None => {
                        mine.insert(choice.clone(), *cell);
                    }
                }
            }
        }
    }

    /// Adds this batch's counts to `stored`, which becomes the group's new tally.
    fn added_to(&mut self, mut stored: Tally) {
        stored.merge(self);
        *self = stored;
    }

    fn counts_json(&self) -> Result<String, DbErr> {
        serde_json::to_string(&self.cells).map_err(|e| DbErr::Custom(format!("survey tally: {e}")))
    }
}

/// The `#day` counter's key of a date: `YYYY-MM-DD`.
pub fn day_key(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The counters a survey version's answers can add, numbered (built once per cached
/// survey): a request's worker turns a response's answers into these numbers, and the
/// writer adds numbers instead of looking up a question's and a choice's name in maps
/// for every response — that lookup, comparing strings, took most of the writer's own
/// time at 10,000 responses a second.
#[derive(Debug, Default)]
pub struct Layout {
    /// (question, choice) of each counter, as stored in a tally; a question's counters
    /// are next to each other.
    names: Vec<(String, String)>,
    questions: HashMap<String, Slots>,
    /// Each counter's number by its question and choice in the tally.
    by_name: HashMap<String, Vec<(String, u32)>>,
}

/// One question's counters in a [`Layout`].
#[derive(Debug)]
struct Slots {
    /// "Answered" (`choice` = ''; for numbers also their sum, minimum and maximum).
    answered: u32,
    /// Per option (and `other`), rating point or yes/no.
    choices: Vec<(String, u32)>,
    /// A matrix's statements, each with its scale points.
    rows: Vec<(String, Vec<(String, u32)>)>,
}

fn slot(list: &[(String, u32)], key: &str) -> Option<u32> {
    list.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
}

const POINTS: [&str; 5] = ["1", "2", "3", "4", "5"];

impl Layout {
    pub fn of(definition: &SurveyDefinition) -> Layout {
        let mut names = Vec::new();
        let mut number = |question: String, choice: String| {
            names.push((question, choice));
            u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
        };
        let mut questions = HashMap::new();
        for q in definition.questions() {
            let mut choices = Vec::new();
            let mut rows = Vec::new();
            let mut choice = |key: &str| (key.to_owned(), number(q.id.clone(), key.to_owned()));
            match &q.kind {
                QuestionKind::SingleChoice { options, other }
                | QuestionKind::MultipleChoice { options, other, .. } => {
                    choices.extend(options.iter().map(|o| choice(&o.id)));
                    if *other {
                        choices.push(choice(OTHER));
                    }
                }
                QuestionKind::Rating { .. } => choices.extend(POINTS.iter().map(|p| choice(p))),
                QuestionKind::YesNo => choices.extend(["yes", "no"].map(choice)),
                QuestionKind::Matrix { statements, scale } => {
                    for statement in statements {
                        let row = format!("{}.{}", q.id, statement.id);
                        let points = scale
                            .iter()
                            .map(|p| (p.id.clone(), number(row.clone(), p.id.clone())))
                            .collect();
                        rows.push((statement.id.clone(), points));
                    }
                }
                QuestionKind::Number { .. }
                | QuestionKind::FreeText { .. }
                | QuestionKind::Date => {}
            }
            let answered = number(q.id.clone(), String::new());
            questions.insert(
                q.id.clone(),
                Slots {
                    answered,
                    choices,
                    rows,
                },
            );
        }
        let mut by_name: HashMap<String, Vec<(String, u32)>> = HashMap::new();
        for (i, (question, choice)) in names.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            by_name
                .entry(question.clone())
                .or_default()
                .push((choice.clone(), i));
        }
        Layout {
            names,
            questions,
            by_name,
        }
    }

    /// The number of a question's and choice's counter, if this layout has it.
    fn number(&self, question: &str, choice: &str) -> Option<usize> {
        slot(self.by_name.get(question)?, choice).map(|i| i as usize)
    }
}

/// What one response adds: counters of its survey's [`Layout`] by number, and by name
/// any its layout lacks (none for answers checked against the layout's definition).
#[derive(Debug, Clone)]
pub struct Increments {
    layout: Arc<Layout>,
    day: time::Date,
    cells: Vec<(u32, Option<f64>)>,
    named: Vec<(String, String, Option<f64>)>,
}

/// The counters one response adds, on `day`.
pub fn increments(layout: &Arc<Layout>, answers: &Answers, day: time::Date) -> Increments {
    let mut out = Increments {
        layout: layout.clone(),
        day,
        cells: Vec::with_capacity(2 * answers.len()),
        named: Vec::new(),
    };
    for (question, answer) in answers {
        let slots = layout.questions.get(question.as_str());
        let mut add = |choice: &str| match slots.and_then(|s| slot(&s.choices, choice)) {
            Some(i) => out.cells.push((i, None)),
            None => out.named.push((question.clone(), choice.to_owned(), None)),
        };
        let mut value = None;
        match answer {
            Answer::Choice { option, .. } => add(option),
            Answer::Choices { options, .. } => options.iter().for_each(|o| add(o)),
            Answer::Rating { value } => match POINTS.get(usize::from(*value).wrapping_sub(1)) {
                Some(point) => add(point),
                None => add(&value.to_string()),
            },
            Answer::YesNo { value } => add(if *value { "yes" } else { "no" }),
            Answer::Number { value: v } => value = Some(*v),
            Answer::Matrix { rows } => {
                for (statement, point) in rows {
                    let row = slots.and_then(|s| {
                        let (_, points) = s.rows.iter().find(|(k, _)| k == statement)?;
                        slot(points, point)
                    });
                    match row {
                        Some(i) => out.cells.push((i, None)),
                        None => {
                            out.named
                                .push((format!("{question}.{statement}"), point.clone(), None))
                        }
                    }
                }
            }
            Answer::Text { .. } | Answer::Date { .. } => {}
        }
        // "Answered" (and, for numbers, their sum, minimum and maximum).
        match slots {
            Some(s) => out.cells.push((s.answered, value)),
            None => out.named.push((question.clone(), String::new(), value)),
        }
    }
    out
}

/// A question's and choice's counter in `cells`, made when missing.
fn cell_of<'c>(cells: &'c mut Cells, question: &str, choice: &str) -> &'c mut Cell {
    cells
        .entry(question.to_owned())
        .or_default()
        .entry(choice.to_owned())
        .or_default()
}

/// The group a response is counted in, borrowed from it for the length of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupOf<'a> {
    pub survey_id: Uuid,
    pub quarter_id: Option<Uuid>,
    pub age_band: Option<&'a str>,
    pub channel: &'a str,
}

/// One group's counts in a batch: per layout an array of counters, the days, and the
/// counters by name.
#[derive(Debug, Default)]
struct Counting {
    responses: i64,
    dense: Vec<(Arc<Layout>, Vec<Cell>)>,
    days: Vec<(time::Date, i64)>,
    named: Cells,
}

/// A batch's counts, added up response by response on the writer.
#[derive(Debug, Default)]
pub struct Batch<'a> {
    groups: HashMap<GroupOf<'a>, Counting>,
}

impl<'a> Batch<'a> {
    /// Counts one response in its group.
    pub fn count(&mut self, group: GroupOf<'a>, increments: &Increments) {
        let counting = self.groups.entry(group).or_default();
        counting.responses += 1;
        match counting.days.iter_mut().find(|(d, _)| *d == increments.day) {
            Some((_, n)) => *n += 1,
            None => counting.days.push((increments.day, 1)),
        }
        if !increments.cells.is_empty() {
            let layout = &increments.layout;
            let at = match counting
                .dense
                .iter()
                .position(|(l, _)| Arc::ptr_eq(l, layout))
            {
                Some(at) => at,
                None => {
                    let fresh = vec![Cell::default(); layout.names.len()];
                    counting.dense.push((layout.clone(), fresh));
                    counting.dense.len() - 1
                }
            };
            let cells = &mut counting.dense[at].1;
            for &(i, value) in &increments.cells {
                if let Some(cell) = cells.get_mut(i as usize) {
                    cell.add(value);
                }
            }
        }
        for (question, choice, value) in &increments.named {
            cell_of(&mut counting.named, question, choice).add(*value);
        }
    }

    /// Each touched group's counts, by its key as stored, in the keys' order.
    fn keyed(self) -> BTreeMap<TallyKey, Counting> {
        self.groups
            .into_iter()
            .map(|(group, counting)| {
                let key = TallyKey {
                    survey_id: group.survey_id,
                    quarter_key: group.quarter_id.map(|q| q.to_string()).unwrap_or_default(),
                    age_band: group.age_band.unwrap_or_default().to_owned(),
                    channel: group.channel.to_owned(),
                };
                (key, counting)
            })
            .collect()
    }

    /// Each touched group's tally of this batch, by name as stored.
    pub fn totals(self) -> BTreeMap<TallyKey, Tally> {
        self.keyed()
            .into_iter()
            .map(|(key, counting)| {
                let mut tally = Tally {
                    responses: counting.responses,
                    cells: counting.named,
                };
                let days = tally.cells.entry(DAY.to_owned()).or_default();
                for (day, n) in counting.days {
                    days.entry(day_key(day)).or_default().0 += n;
                }
                for (layout, cells) in &counting.dense {
                    for (cell, (question, choice)) in cells.iter().zip(&layout.names) {
                        if cell.n() > 0 {
                            cell_of(&mut tally.cells, question, choice).merge(cell);
                        }
                    }
                }
                (key, tally)
            })
            .collect()
    }
}

/// Groups per statement on SQLite, well under its parameter limit.
pub const CHUNK: usize = 500;

/// Distinguishes the tally locks from other advisory locks (`pg_advisory_xact_lock(int, int)`
/// has a key space of its own, apart from the migrations' single-key lock).
const TALLY_LOCK_CLASS: i32 = 0x5154_414c; // "QTAL"

/// Most tallies a [`Known`] keeps before it starts afresh (each a few KB; an open survey
/// in 20 quarters touches at most 20 × 6 age bands × 4 channels = 480).
const KNOWN_AT_MOST: usize = 2048;

/// The tallies as the last committed batch left them, kept by SQLite's one writer so
/// that a batch need not read back the rows it is about to rewrite.
///
/// Never trusted blindly: each write states the count it expects to replace, a row that
/// holds another (written by something else on the file) is left alone, and the
/// writer, seeing it missing from what the write returned, rolls the batch back,
/// forgets everything and stores it again, reading.
/// A batch takes the tallies it writes out of here and gives them back only after its
/// commit ([`Known::committed`]), so a failed batch leaves nothing stale behind.
#[derive(Debug, Default)]
pub struct Known {
    tallies: HashMap<TallyKey, Remembered>,
}

impl Known {
    /// After a commit: the tallies the batch wrote are what the database now holds.
    pub fn committed(&mut self, written: Vec<(TallyKey, Remembered)>) {
        if self.tallies.len() + written.len() > KNOWN_AT_MOST {
            self.tallies.clear();
        }
        self.tallies.extend(written);
    }

    pub fn forget(&mut self) {
        self.tallies.clear();
    }
}

/// One group's tally as the writer remembers it: the counters of one survey version's
/// [`Layout`] by number, any others by name. A batch adds its numbered counts to it as
/// numbers and writes it without naming what did not change, so the writer compares
/// no strings per counter.
#[derive(Debug)]
pub struct Remembered {
    responses: i64,
    layout: Arc<Layout>,
    dense: Vec<Cell>,
    /// Counters `layout` does not number (the days, other versions' options); never
    /// one it does.
    named: Cells,
}

impl Remembered {
    fn new(layout: &Arc<Layout>) -> Remembered {
        Remembered {
            responses: 0,
            layout: layout.clone(),
            dense: vec![Cell::default(); layout.names.len()],
            named: Cells::new(),
        }
    }

    /// A stored tally, its counters numbered by `layout` where it has them.
    fn from_tally(tally: Tally, layout: &Arc<Layout>) -> Remembered {
        let mut r = Remembered::new(layout);
        r.responses = tally.responses;
        for (question, choices) in &tally.cells {
            for (choice, cell) in choices {
                r.add_named(question, choice, cell);
            }
        }
        r
    }

    fn add_named(&mut self, question: &str, choice: &str, cell: &Cell) {
        match self.layout.number(question, choice) {
            Some(i) => self.dense[i].merge(cell),
            None => cell_of(&mut self.named, question, choice).merge(cell),
        }
    }

    /// Every counter by name, as a stored tally holds them.
    fn to_tally(&self) -> Tally {
        let mut cells = self.named.clone();
        for (cell, (question, choice)) in self.dense.iter().zip(&self.layout.names) {
            if cell.n() > 0 {
                cell_of(&mut cells, question, choice).merge(cell);
            }
        }
        Tally {
            responses: self.responses,
            cells,
        }
    }

    /// Numbers the counters by `layout` from now on: the same counters in another copy
    /// (the survey was loaded again) change nothing; another version's are sorted anew.
    fn use_layout(&mut self, layout: &Arc<Layout>) {
        if Arc::ptr_eq(&self.layout, layout) {
            return;
        }
        if self.layout.names == layout.names {
            self.layout = layout.clone();
            return;
        }
        *self = Remembered::from_tally(self.to_tally(), layout);
    }

    /// Adds a batch's counts of this group.
    fn add(&mut self, counting: Counting) {
        if let Some((layout, _)) = counting.dense.first() {
            self.use_layout(layout);
        }
        self.responses += counting.responses;
        for (layout, cells) in &counting.dense {
            if Arc::ptr_eq(layout, &self.layout) {
                for (mine, cell) in self.dense.iter_mut().zip(cells) {
                    if cell.n() > 0 {
                        mine.merge(cell);
                    }
                }
            } else {
                for (cell, (question, choice)) in cells.iter().zip(&layout.names) {
                    if cell.n() > 0 {
                        self.add_named(question, choice, cell);
                    }
                }
            }
        }
        let days = self.named.entry(DAY.to_owned()).or_default();
        for (day, n) in counting.days {
            days.entry(day_key(day)).or_default().0 += n;
        }
        for (question, choices) in &counting.named {
            for (choice, cell) in choices {
                self.add_named(question, choice, cell);
            }
        }
    }
}

/// Written as a stored tally (`{question: {choice: counter}}`), counters of 0 left out.
impl Serialize for Remembered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// One question's counters: the layout's that count, then any by name.
        struct Question<'r> {
            names: &'r [(String, String)],
            cells: &'r [Cell],
            named: Option<&'r BTreeMap<String, Cell>>,
        }
        impl Serialize for Question<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                for ((_, choice), cell) in self.names.iter().zip(self.cells) {
                    if cell.n() > 0 {
                        map.serialize_entry(choice, cell)?;
                    }
                }
                for (choice, cell) in self.named.into_iter().flatten() {
                    map.serialize_entry(choice, cell)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(None)?;
        let names = &self.layout.names;
        let mut start = 0;
        while start < names.len() {
            let question = &names[start].0;
            let end = start
                + names[start..]
                    .iter()
                    .take_while(|(q, _)| q == question)
                    .count();
            let named = self.named.get(question);
            if named.is_some() || self.dense[start..end].iter().any(|c| c.n() > 0) {
                map.serialize_entry(
                    question,
                    &Question {
                        names: &names[start..end],
                        cells: &self.dense[start..end],
                        named,
                    },
                )?;
            }
            start = end;
        }
        for (question, choices) in &self.named {
            if !self.layout.by_name.contains_key(question) {
                map.serialize_entry(question, choices)?;
            }
        }
        map.end()
    }
}

/// A group's tally as written: how many responses, and the counters' JSON.
pub trait Written {
    fn responses(&self) -> i64;
    fn counts_json(&self) -> Result<String, DbErr>;
}

impl Written for Tally {
    fn responses(&self) -> i64 {
        self.responses
    }
    fn counts_json(&self) -> Result<String, DbErr> {
        Tally::counts_json(self)
    }
}

impl Written for Remembered {
    fn responses(&self) -> i64 {
        self.responses
    }
    fn counts_json(&self) -> Result<String, DbErr> {
        serde_json::to_string(self).map_err(|e| DbErr::Custom(format!("survey tally: {e}")))
    }
}

/// A tally held another count than was read; nothing of the batch may stay.
pub const STALE_TALLY: &str = "a survey tally was changed by another writer";

/// A batch's tallies, added up with what is stored, ready to write.
#[derive(Debug)]
pub struct Prepared<W = Tally> {
    /// Each touched group's tally as it will be written.
    pub rows: Vec<(TallyKey, W)>,
    /// What each touched row holds now (its `responses`; absent: no row).
    before: HashMap<TallyKey, i64>,
}

impl<W> Default for Prepared<W> {
    fn default() -> Self {
        Prepared {
            rows: Vec::new(),
            before: HashMap::new(),
        }
    }
}

impl<W: Written> Prepared<W> {
    /// The statements that write these tallies: several for a very large batch.
    pub fn statements(&self, backend: DbBackend) -> Result<Vec<Statement>, DbErr> {
        self.rows
            .chunks(CHUNK)
            .map(|chunk| write_tallies(backend, chunk, &self.before))
            .collect()
    }
}

/// SQLite's one writer: adds a batch's counts to the tallies it remembers (reading those
/// it does not), by number.
pub async fn prepare_remembered<C: ConnectionTrait>(
    conn: &C,
    batch: Batch<'_>,
    known: &mut Known,
) -> Result<Prepared<Remembered>, DbErr> {
    let groups = batch.keyed();
    let empty = Arc::new(Layout::default());
    let layout_of = |counting: &Counting| {
        counting
            .dense
            .first()
            .map_or_else(|| empty.clone(), |(l, _)| l.clone())
    };
    let mut before: HashMap<TallyKey, i64> = HashMap::with_capacity(groups.len());
    let mut found: HashMap<TallyKey, Remembered> = HashMap::with_capacity(groups.len());
    let mut unknown: Vec<TallyKey> = Vec::new();
    for key in groups.keys() {
        match known.tallies.remove(key) {
            Some(r) => {
                before.insert(key.clone(), r.responses);
                found.insert(key.clone(), r);
            }
            None => unknown.push(key.clone()),
        }
    }
    for chunk in unknown.chunks(CHUNK) {
        for row in conn
            .query_all_raw(select_tallies(DbBackend::Sqlite, chunk))
            .await?
        {
            let (key, stored) = tally_row(&row)?;
            if let Some(counting) = groups.get(&key) {
                before.insert(key.clone(), stored.responses);
                found.insert(key, Remembered::from_tally(stored, &layout_of(counting)));
            }
        }
    }
    let rows = groups
        .into_iter()
        .map(|(key, counting)| {
            let mut r = found
                .remove(&key)
                .unwrap_or_else(|| Remembered::new(&layout_of(&counting)));
            r.add(counting);
            (key, r)
        })
        .collect();
    Ok(Prepared { rows, before })
}

fn tally_row(row: &sea_orm::QueryResult) -> Result<(TallyKey, Tally), DbErr> {
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
    Ok((key, stored))
}

/// Adds a batch's totals to the stored tallies of the groups it touches, read in the
/// caller's transaction. On PostgreSQL, where several instances write at once, the batch
/// first takes a transaction-scoped advisory lock per survey, in sorted order (no
/// deadlock), then reads.
pub async fn prepare<C: ConnectionTrait>(
    conn: &C,
    mut totals: BTreeMap<TallyKey, Tally>,
) -> Result<Prepared, DbErr> {
    if totals.is_empty() {
        return Ok(Prepared::default());
    }
    let backend = conn.get_database_backend();
    if backend == DbBackend::Postgres {
        let mut surveys: Vec<Uuid> = totals.keys().map(|k| k.survey_id).collect();
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
    let mut before: HashMap<TallyKey, i64> = HashMap::with_capacity(totals.len());
    let keys: Vec<TallyKey> = totals.keys().cloned().collect();
    for chunk in keys.chunks(CHUNK) {
        for row in conn.query_all_raw(select_tallies(backend, chunk)).await? {
            let (key, stored) = tally_row(&row)?;
            if let Some(total) = totals.get_mut(&key) {
                before.insert(key, stored.responses);
                total.added_to(stored);
            }
        }
    }
    Ok(Prepared {
        rows: totals.into_iter().collect(),
        before,
    })
}

/// [`prepare`]s (reading every touched tally) and writes a batch's tallies, in the
/// caller's transaction, one row per group however many questions. Returns the tallies
/// as written, for [`Known::committed`] once the transaction has committed. Fails with
/// [`STALE_TALLY`] should a tally not hold what was just read: it cannot, under the
/// write lock, but a batch is never committed on the assumption.
pub async fn store<C: ConnectionTrait>(
    conn: &C,
    totals: BTreeMap<TallyKey, Tally>,
) -> Result<Vec<(TallyKey, Tally)>, DbErr> {
    let prepared = prepare(conn, totals).await?;
    let backend = conn.get_database_backend();
    for (statement, chunk) in prepared
        .statements(backend)?
        .into_iter()
        .zip(prepared.rows.chunks(CHUNK))
    {
        if backend == DbBackend::Postgres {
            conn.execute_raw(statement).await?;
        } else if conn.query_all_raw(statement).await?.len() != chunk.len() {
            // A row that held another count than `before` was left alone.
            return Err(DbErr::Custom(STALE_TALLY.into()));
        }
    }
    Ok(prepared.rows)
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

/// Writes tallies whole (their sums are already added up). On SQLite a row is replaced
/// only if it still holds the count in `before` (0: no row), and the statement returns
/// the rows it wrote; a row missing from them was changed by another writer.
fn write_tallies<W: Written>(
    backend: DbBackend,
    rows: &[(TallyKey, W)],
    before: &HashMap<TallyKey, i64>,
) -> Result<Statement, DbErr> {
    const COLUMNS: &str =
        r#""survey_id", "quarter_key", "age_band", "channel", "responses", "counts""#;
    const KEY: &str = r#"("survey_id", "quarter_key", "age_band", "channel")"#;
    if backend == DbBackend::Postgres {
        let mut list = Vec::with_capacity(rows.len());
        for (k, t) in rows {
            let mut row = key_json(k);
            row["responses"] = t.responses().into();
            row["counts"] = t.counts_json()?.into();
            list.push(row);
        }
        let json = serde_json::Value::Array(list).to_string();
        return Ok(Statement::from_sql_and_values(
            backend,
            format!(
                r#"INSERT INTO "survey_tallies" ({COLUMNS})
                SELECT * FROM jsonb_to_recordset($1::jsonb) AS r({KEY_TYPES}, "responses" bigint, "counts" text)
                ON CONFLICT {KEY} DO UPDATE SET "responses" = excluded.responses, "counts" = excluded.counts"#
            ),
            [Value::from(json)],
        ));
    }
    let mut sql = format!(r#"WITH "batch" ({COLUMNS}, "before") AS (VALUES "#);
    let mut values = Vec::with_capacity(rows.len() * 7);
    for (n, (k, t)) in rows.iter().enumerate() {
        sql.push_str(if n == 0 {
            "(?,?,?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?,?,?)"
        });
        values.extend([
            Value::from(k.survey_id),
            Value::from(k.quarter_key.as_str()),
            Value::from(k.age_band.as_str()),
            Value::from(k.channel.as_str()),
            Value::from(t.responses()),
            Value::from(t.counts_json()?),
            Value::from(before.get(k).copied().unwrap_or(0)),
        ]);
    }
    // `WHERE true` tells SQLite's parser that `ON CONFLICT` belongs to the insert.
    sql.push_str(&format!(
        r#") INSERT INTO "survey_tallies" ({COLUMNS}) SELECT {COLUMNS} FROM "batch" WHERE true
        ON CONFLICT {KEY} DO UPDATE SET "responses" = excluded.responses, "counts" = excluded.counts
        WHERE "survey_tallies"."responses" = (SELECT "before" FROM "batch" b
            WHERE b."survey_id" = excluded."survey_id" AND b."quarter_key" = excluded."quarter_key"
            AND b."age_band" = excluded."age_band" AND b."channel" = excluded."channel")
        RETURNING "survey_id""#
    ));
    Ok(Statement::from_sql_and_values(backend, sql, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(json: &str) -> Tally {
        Tally::from_row(7, json).unwrap()
    }

    /// Counts `responses` in one group, with `layout`.
    fn counted(layout: &Arc<Layout>, responses: &[Answers]) -> Tally {
        let day = time::macros::date!(2026 - 12 - 03);
        let increments: Vec<Increments> = responses
            .iter()
            .map(|a| increments(layout, a, day))
            .collect();
        let mut batch = Batch::default();
        for i in &increments {
            let group = GroupOf {
                survey_id: Uuid::nil(),
                quarter_id: None,
                age_band: Some("from_75_to_84"),
                channel: "paper",
            };
            batch.count(group, i);
        }
        let mut totals = batch.totals();
        assert_eq!(totals.len(), 1);
        totals.pop_first().unwrap().1
    }

    #[test]
    fn numbered_counters_add_up_as_counters_by_name() {
        use rand::SeedableRng;
        let definition = shared::surveys::template::age_friendly().definition;
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut responses: Vec<Answers> = (0..300)
            .map(|_| super::super::demo::random_answers(&definition, &mut rng))
            .collect();
        // "Other" with its text, a rating off the scale, an option, a matrix row and a
        // question the survey does not have: counted by name, beside the numbered ones.
        let other = definition
            .questions()
            .find(|q| matches!(q.kind, QuestionKind::MultipleChoice { other: true, .. }))
            .unwrap();
        responses[0].insert(
            other.id.clone(),
            Answer::Choices {
                options: vec![OTHER.into()],
                other_text: Some("Bücherei".into()),
            },
        );
        responses[1].insert("gone".into(), Answer::Rating { value: 9 });
        responses[2].insert(
            other.id.clone(),
            Answer::Choice {
                option: "gone".into(),
                other_text: None,
            },
        );
        let matrix = definition
            .questions()
            .find(|q| matches!(q.kind, QuestionKind::Matrix { .. }))
            .unwrap();
        if let Some(Answer::Matrix { rows }) = responses[3].get_mut(&matrix.id) {
            rows.insert("gone".into(), "gone".into());
        }

        let numbered = counted(&Arc::new(Layout::of(&definition)), &responses);
        let by_name = counted(&Arc::new(Layout::default()), &responses);
        assert_eq!(numbered, by_name);
        assert_eq!(numbered.responses, 300);
        assert_eq!(numbered.cells[DAY]["2026-12-03"].n(), 300);
        assert_eq!(numbered.cells[&other.id][OTHER].n(), 1);
        assert_eq!(numbered.cells["gone"]["9"].n(), 1);
        let number = definition
            .questions()
            .find(|q| matches!(q.kind, QuestionKind::Number { .. }))
            .unwrap();
        let answered = numbered.cells[&number.id][""];
        assert!(answered.n() > 200 && answered.total() > 0.0 && answered.max().is_some());
    }

    #[test]
    fn remembered_tallies_write_what_tallies_by_name_write() {
        use rand::SeedableRng;
        let template = shared::surveys::template::age_friendly().definition;
        // A later version without one option of a single-choice question.
        let mut edited = template.clone();
        let (question, option) = edited
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
            .find_map(|q| match &mut q.kind {
                QuestionKind::SingleChoice { options, .. } => {
                    Some((q.id.clone(), options.remove(0).id))
                }
                _ => None,
            })
            .unwrap();
        let first = Arc::new(Layout::of(&template));
        let again = Arc::new(Layout::of(&template));
        let later = Arc::new(Layout::of(&edited));
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let day = time::macros::date!(2026 - 12 - 03);
        // A stored tally with a counter no layout has, as a batch finds it.
        let stored = tally(r##"{"#day":{"2026-12-01":7},"gone":{"x":3},"wish":{"":2}}"##);
        let mut by_name = stored.clone();
        let mut remembered = Remembered::from_tally(stored, &first);
        let mut saw_option = false;
        for (round, layout) in [&first, &again, &later, &first, &later]
            .into_iter()
            .enumerate()
        {
            let answers: Vec<Answers> = (0..40)
                .map(|_| super::super::demo::random_answers(&template, &mut rng))
                .collect();
            saw_option |= answers.iter().any(|a| {
                matches!(a.get(&question), Some(Answer::Choice { option: o, .. }) if *o == option)
            });
            let increments: Vec<Increments> = answers
                .iter()
                .map(|a| {
                    increments(
                        layout,
                        a,
                        day.saturating_add(time::Duration::days(round as i64)),
                    )
                })
                .collect();
            let group = GroupOf {
                survey_id: Uuid::nil(),
                quarter_id: None,
                age_band: None,
                channel: "online",
            };
            let mut numbered = Batch::default();
            let mut named = Batch::default();
            for i in &increments {
                numbered.count(group, i);
                named.count(group, i);
            }
            let (_, counting) = numbered.keyed().pop_first().unwrap();
            remembered.add(counting);
            by_name.merge(&named.totals().pop_first().unwrap().1);
            let written = Written::counts_json(&remembered).unwrap();
            assert_eq!(
                Tally::from_row(remembered.responses, &written).unwrap(),
                by_name,
                "round {round}"
            );
        }
        assert!(
            saw_option,
            "the removed option was chosen and counted by name"
        );
        assert_eq!(by_name.responses, 207);
        assert_eq!(by_name.cells["gone"]["x"].n(), 3);
    }

    #[test]
    fn a_counter_without_numbers_is_stored_as_its_count() {
        let mut cells = Cells::new();
        let q = cells.entry("benches".to_owned()).or_default();
        q.insert(String::new(), Cell(7, 0.0, None, None));
        q.insert("yes".to_owned(), Cell(5, 0.0, None, None));
        cells
            .entry("age".to_owned())
            .or_default()
            .insert(String::new(), Cell(2, 151.0, Some(74.0), Some(77.0)));
        let t = Tally {
            responses: 7,
            cells,
        };
        let json = t.counts_json().unwrap();
        assert_eq!(
            json,
            r#"{"age":{"":[2,151.0,74.0,77.0]},"benches":{"":7,"yes":5}}"#
        );
        assert_eq!(tally(&json), t, "what is written reads back the same");
    }

    #[test]
    fn tallies_written_as_arrays_still_read() {
        let t = tally(
            r#"{"benches":{"":[7,0.0,null,null],"yes":[5,0.0,null,null]},"age":{"":[2,151.0,74.0,77.0]}}"#,
        );
        assert_eq!(t.cells["benches"]["yes"], Cell(5, 0.0, None, None));
        assert_eq!(t.cells["age"][""], Cell(2, 151.0, Some(74.0), Some(77.0)));
        // Numbers that were all zero keep their minimum and maximum.
        let zero = tally(r#"{"stairs":{"":[3,0.0,0.0,0.0]}}"#);
        assert_eq!(
            zero.cells["stairs"][""].min(),
            Some(0.0),
            "a minimum of 0 is not lost"
        );
        assert_eq!(
            zero.counts_json().unwrap(),
            r#"{"stairs":{"":[3,0.0,0.0,0.0]}}"#
        );
    }

    #[test]
    fn a_damaged_counter_is_an_error_not_zero() {
        for bad in [
            r#"{"q":{"":"7"}}"#,
            r#"{"q":{"":[7,0.0,null]}}"#,
            r#"{"q":{"":[7,0.0,null,null,1]}}"#,
            r#"{"q":{"":-1.5}}"#,
            r#"{"q":{"":-1}}"#,
        ] {
            assert!(Tally::from_row(1, bad).is_err(), "{bad} was read");
        }
    }
}
