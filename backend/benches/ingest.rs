//! Response ingest: a bench binary that prints figures (`cargo xtask bench ingest`, or
//! `cargo bench -p backend --bench ingest`).
//!
//! Starts the real `Application` on a fresh SQLite file (and, when `QUARTIER_BENCH_PG_URL`
//! names a PostgreSQL admin URL, on a throwaway PostgreSQL database), opens a 20-question
//! survey with a public link, and runs its own loopback load generator: a fixed number of
//! clients, each on one bare HTTP/1.1 keep-alive connection (as `wrk` keeps them: the
//! request's bytes written as they are, the answer's status read and its body skipped),
//! submitting valid 20-answer responses (~1.5 KB of JSON) with fresh random keys, one
//! after another, for `QUARTIER_BENCH_SECS` seconds (default 20) per step. After each step it counts the stored rows and compares them with
//! the acknowledged (201) ones. It also measures
//! - the raw limit: a bare group-commit insert loop with rusqlite (WAL, `synchronous=FULL`,
//!   checkpoints every 10,000 pages as the server's, one writer thread with a prepared
//!   statement, 32 producer threads waiting for their commit), into a table of the same
//!   shape as `survey_responses`, with its indexes; on
//!   PostgreSQL the same loop through SeaORM with the server's own insert statement;
//! - reading a survey to answer it: `GET /api/v1/public/surveys/{id}` at 32 clients;
//! - responses from letters: at 32 clients, each redeems an access code (stored
//!   beforehand), so the codes' table is written in every batch too.
//!
//! The client runs on the same cores as the server, so every figure includes its cost
//! (about a tenth of the samples at 32 clients; reqwest took a fifth).
//! Environment: `QUARTIER_BENCH_SECS` (seconds per step), `QUARTIER_BENCH_CLIENTS`
//! (default `8,32,64`), `QUARTIER_BENCH_PG_URL`.

// A bench: anything unexpected should stop it loudly rather than print wrong figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use quartier::accounts::registration::{NewUser, create_user};
use quartier::auth::jwt::JwtKeys;
use quartier::auth::limits::LimitSettings;
use quartier::config::{Settings, sqlite_url};
use quartier::db::Db;
use quartier::entities::{access_code, organisation, quarter, survey_response};
use quartier::startup::Application;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use shared::surveys::{
    Answer, Answers, Question, QuestionKind, RespondentProfile, SubmitResponseRequest,
    SurveyAccess, SurveyDto, SurveyRequest, SurveyStatus, Text, template,
};
use shared::{AgeBand, Language, Role};
use uuid::Uuid;

const JWT_SECRET: &str = "bench-secret-bench-secret-bench-secret-00";
/// Producers of the raw limit, as the target's client count.
const RAW_PRODUCERS: usize = 32;
/// Clients of the read measurement.
const READ_CLIENTS: usize = 32;
/// Most rows the raw writer commits together, as the server's `MAX_BATCH`.
const RAW_MAX_BATCH: usize = 512;
/// Placeholder key in the body templates, replaced per request.
const KEY_PLACEHOLDER: &str = "00000000-0000-4000-8000-000000000000";
/// Placeholder access code in the body templates of the letters' step.
const CODE_PLACEHOLDER: &str = "CODE-HERE";
/// Clients of the letters' step (every response redeems an access code).
const LETTER_CLIENTS: usize = 32;

fn env_secs() -> u64 {
    std::env::var("QUARTIER_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&s| s > 0)
        .unwrap_or(20)
}

fn env_clients() -> Vec<usize> {
    std::env::var("QUARTIER_BENCH_CLIENTS")
        .ok()
        .map(|s| {
            s.split(',')
                .filter_map(|c| c.trim().parse().ok())
                .filter(|&c| c > 0)
                .collect::<Vec<usize>>()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| vec![8, 32, 64])
}

fn histogram() -> Histogram<u64> {
    // Microseconds, up to a minute, three significant figures.
    Histogram::new_with_bounds(1, 60_000_000, 3).unwrap()
}

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

/// The template (19 questions) and one more: 20 questions, all answered below.
fn survey_request(quarter: Uuid, codes: bool) -> SurveyRequest {
    let mut t = template::age_friendly();
    let last = t.definition.sections.last_mut().unwrap();
    last.questions.push(Question {
        id: "help_offers".into(),
        text: Text::new(
            "Würden Sie Nachbarinnen und Nachbarn helfen?",
            "Would you help your neighbours?",
        ),
        help: Text::default(),
        required: false,
        kind: QuestionKind::YesNo,
        show_if: None,
        need: None,
    });
    SurveyRequest {
        title: t.title,
        intro: t.intro,
        quarter_ids: vec![quarter],
        opens_at: None,
        closes_at: None,
        anonymous: true,
        access: SurveyAccess {
            public_link: !codes,
            codes,
            signed_in: false,
        },
        profile_questions: true,
        definition: t.definition,
    }
}

/// 20 answers; `v` varies them so the counters see several groups and options.
fn answers(v: usize) -> Answers {
    let rating = |k: usize| Answer::Rating {
        value: ((v + k) % 5 + 1) as u8,
    };
    let yes = |k: usize| Answer::YesNo {
        value: (v + k).is_multiple_of(2),
    };
    let pick = |options: &[&str], k: usize| options[(v + k) % options.len()].to_owned();
    let reach = ["easy", "hard", "not"];
    let often = ["never", "sometimes", "often"];
    let mut a = BTreeMap::new();
    a.insert("housing_fit".into(), rating(0));
    a.insert("housing_lift".into(), Answer::YesNo { value: true });
    a.insert("housing_lift_works".into(), yes(1));
    a.insert("housing_stairs".into(), Answer::Number { value: 14.0 });
    a.insert(
        "transport_used".into(),
        Answer::Choices {
            options: vec!["walk".into(), "bus".into(), pick(&["bike", "car"], 0)],
            other_text: None,
        },
    );
    a.insert("transport_stop".into(), rating(1));
    a.insert("outdoors_paths".into(), rating(2));
    a.insert("outdoors_benches".into(), yes(2));
    a.insert("outdoors_toilets".into(), yes(3));
    a.insert(
        "services_reach".into(),
        Answer::Matrix {
            rows: BTreeMap::from([
                ("food".into(), pick(&reach, 0)),
                ("doctor".into(), pick(&reach, 1)),
                ("pharmacy".into(), pick(&reach, 2)),
                ("bank".into(), pick(&reach, 0)),
            ]),
        },
    );
    a.insert(
        "shops_minutes".into(),
        Answer::Number {
            value: (5 + v % 20) as f64,
        },
    );
    a.insert(
        "social_lonely".into(),
        Answer::Choice {
            option: pick(&often, 0),
            other_text: None,
        },
    );
    a.insert(
        "social_places".into(),
        Answer::Matrix {
            rows: BTreeMap::from([
                ("cafe".into(), pick(&often, 1)),
                ("church".into(), pick(&often, 2)),
                ("club".into(), pick(&often, 0)),
            ]),
        },
    );
    a.insert("help_knows".into(), yes(4));
    a.insert(
        "help_needs".into(),
        Answer::Choices {
            options: vec![
                "shopping".into(),
                pick(&["tech", "paperwork", "repairs"], 0),
            ],
            other_text: None,
        },
    );
    a.insert("safety_day".into(), rating(3));
    a.insert("safety_night".into(), rating(4));
    a.insert(
        "last_outing".into(),
        Answer::Date {
            value: format!("2026-10-{:02}", v % 28 + 1),
        },
    );
    a.insert(
        "wish".into(),
        Answer::Text {
            value: "Mehr Bänke am Markt und auf dem Weg zur Apotheke, eine öffentliche \
                    Toilette am Bürgerhaus, abgesenkte Bordsteine an der Kreuzung zur \
                    Lindenstraße, einen Bus, der auch abends noch fährt, und einen \
                    Treffpunkt, an dem man ohne Verabredung andere trifft. Außerdem wäre \
                    es schön, wenn der Aufzug im Haus schneller repariert würde. Die \
                    Ampel an der Hauptstraße schaltet zu schnell auf Rot, wenn man mit dem \
                    Rollator unterwegs ist, und im Winter wird der Gehweg vor dem \
                    Supermarkt selten geräumt."
                .into(),
        },
    );
    a.insert("help_offers".into(), yes(5));
    a
}

/// Request bodies split around the key: `prefix + key + suffix`. A few variants, so
/// the counters see more than one group.
struct Bodies {
    parts: Vec<(String, String)>,
}

impl Bodies {
    fn new(survey: &SurveyDto, quarter: Uuid, with_code: bool) -> Bodies {
        let bands = [
            AgeBand::Under50,
            AgeBand::From50To64,
            AgeBand::From65To74,
            AgeBand::From75To84,
            AgeBand::From85,
        ];
        let parts = (0..16)
            .map(|v| {
                let body = SubmitResponseRequest {
                    id: Uuid::parse_str(KEY_PLACEHOLDER).unwrap(),
                    version: survey.version,
                    answers: answers(v),
                    profile: RespondentProfile {
                        quarter_id: (!v.is_multiple_of(4)).then_some(quarter),
                        age_band: Some(bands[v % bands.len()]),
                    },
                    code: with_code.then(|| CODE_PLACEHOLDER.to_owned()),
                };
                let json = serde_json::to_string(&body).unwrap();
                let (prefix, suffix) = json.split_once(KEY_PLACEHOLDER).unwrap();
                (prefix.to_owned(), suffix.to_owned())
            })
            .collect();
        Bodies { parts }
    }

    fn body(&self, rng: &mut impl Rng, code: Option<&str>) -> (Uuid, String) {
        let (prefix, suffix) = &self.parts[rng.random_range(0..self.parts.len())];
        let key = Uuid::new_v4();
        let mut s = String::with_capacity(prefix.len() + 36 + suffix.len());
        s.push_str(prefix);
        s.push_str(&key.hyphenated().to_string());
        match code {
            Some(code) => s.push_str(&suffix.replacen(CODE_PLACEHOLDER, code, 1)),
            None => s.push_str(suffix),
        }
        (key, s)
    }

    fn typical_len(&self) -> usize {
        self.parts[0].0.len() + 36 + self.parts[0].1.len()
    }
}

/// One database with the server running on it.
struct Setup {
    name: &'static str,
    base: String,
    db: Db,
    quarter: Uuid,
    manager_token: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Setup {
    async fn start(name: &'static str, database_url: String, dir: tempfile::TempDir) -> Setup {
        let db = Db::connect(&database_url).await.unwrap();
        db.migrate().await.unwrap();
        let settings = Settings {
            bind: "127.0.0.1:0".into(),
            database_url,
            data_dir: dir.path().to_path_buf(),
            web_dir: dir.path().to_path_buf(),
            jwt_secret: JWT_SECRET.into(),
            demo: false,
            refresh_grace_secs: 20,
            secure_cookies: false,
            hsts_max_age_secs: 0,
            help_flag_after_hours: 48,
            limits: LimitSettings {
                per_ip_per_minute: 1_000_000_000,
                per_account_per_minute: 1_000_000_000,
            },
        };
        let app = Application::build_with_db(settings, db.clone()).unwrap();
        let base = app.url();
        tokio::spawn(app.run_until_stopped());

        let now = time::OffsetDateTime::now_utc();
        let org = organisation::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set("Stadtteilbüro Bench".into()),
            created_at: Set(now),
        }
        .insert(db.conn())
        .await
        .unwrap()
        .id;
        let quarter = quarter::ActiveModel {
            id: Set(Uuid::now_v7()),
            organisation_id: Set(org),
            name: Set("Lindenviertel".into()),
            description: Set(String::new()),
            population_total: Set(8000),
            population_under50: Set(4000),
            population50_to64: Set(1800),
            population65_to74: Set(1200),
            population75_to84: Set(700),
            population85_plus: Set(300),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db.conn())
        .await
        .unwrap()
        .id;
        let manager = create_user(
            db.conn(),
            NewUser {
                email: "manager@example.de",
                password: "Apfelbaum-Lindenweg-42",
                display_name: "Bench",
                language: Language::De,
                home_quarter_id: None,
            },
            &[(Role::Manager, Some(org), Some(quarter))],
        )
        .await
        .unwrap()
        .id;
        let manager_token = JwtKeys::new(JWT_SECRET).issue(manager).unwrap();
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .no_gzip()
            .no_brotli()
            .build()
            .unwrap();
        Setup {
            name,
            base,
            db,
            quarter,
            manager_token,
            client,
            _dir: dir,
        }
    }

    /// A new open survey, so each step counts its own rows.
    async fn open_survey(&self, codes: bool) -> SurveyDto {
        let created = self
            .client
            .post(format!("{}/api/v1/surveys", self.base))
            .bearer_auth(&self.manager_token)
            .json(&survey_request(self.quarter, codes))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201, "creating the survey");
        let survey: SurveyDto = created.json().await.unwrap();
        let opened = self
            .client
            .post(format!("{}/api/v1/surveys/{}/status", self.base, survey.id))
            .bearer_auth(&self.manager_token)
            .json(&serde_json::json!({ "status": SurveyStatus::Open }))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 200, "opening the survey");
        opened.json().await.unwrap()
    }
}

/// What one step measured.
struct Step {
    clients: usize,
    acknowledged: u64,
    errors: u64,
    elapsed: Duration,
    latency: Histogram<u64>,
    stored: u64,
}

impl Step {
    fn rate(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64()
    }
}

/// One client of the load generator: keeps its connection and sends one request at a time.
trait Client: Send + 'static {
    /// Makes and awaits one request; whether it got the expected status.
    fn send(&mut self) -> impl std::future::Future<Output = bool> + Send;
}

/// Runs `clients` clients (`make` makes each), each sending requests one after another
/// until `secs` have passed.
async fn load<C: Client>(
    clients: usize,
    secs: u64,
    make: impl Fn(usize) -> C,
) -> (u64, u64, Duration, Histogram<u64>) {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let mut client = make(c);
            tokio::spawn(async move {
                let mut h = histogram();
                let (mut ok, mut errors) = (0u64, 0u64);
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let good = client.send().await;
                    h.record(t.elapsed().as_micros().max(1) as u64).unwrap();
                    if good {
                        ok += 1;
                    } else {
                        errors += 1;
                    }
                }
                (ok, errors, h)
            })
        })
        .collect();
    let mut latency = histogram();
    let (mut ok, mut errors) = (0, 0);
    for task in tasks {
        let (o, e, h) = task.await.unwrap();
        ok += o;
        errors += e;
        latency.add(h).unwrap();
    }
    (ok, errors, start.elapsed(), latency)
}

/// A bare HTTP/1.1 keep-alive connection, as `wrk` keeps one: the request's bytes are
/// written as they are, the answer's status is read and its body skipped. A general
/// client (reqwest: URL parsing, pooling, header maps) took a fifth of the two cores the
/// server shares with it; this takes what the sockets cost (see ARCHITECTURE.md).
struct Connection {
    addr: std::net::SocketAddr,
    stream: Option<tokio::net::TcpStream>,
    read: Vec<u8>,
    first_error: Arc<Mutex<Option<String>>>,
}

impl Connection {
    fn new(base: &str, first_error: Arc<Mutex<Option<String>>>) -> Connection {
        let addr = base
            .trim_start_matches("http://")
            .parse()
            .expect("the server listens on an IP address");
        Connection {
            addr,
            stream: None,
            read: Vec::with_capacity(4096),
            first_error,
        }
    }

    /// Sends `request` (a whole HTTP/1.1 request) and says whether `expected` came back.
    /// A broken connection is an error and is opened afresh for the next request.
    async fn exchange(&mut self, request: &[u8], expected: u16) -> bool {
        match self.try_exchange(request).await {
            Ok(status) if status == expected => true,
            outcome => {
                let what = match outcome {
                    Ok(status) => format!("status {status}"),
                    Err(e) => {
                        self.stream = None;
                        e
                    }
                };
                self.first_error.lock().unwrap().get_or_insert(what);
                false
            }
        }
    }

    async fn try_exchange(&mut self, request: &[u8]) -> Result<u16, String> {
        use tokio::io::AsyncWriteExt;
        if self.stream.is_none() {
            let stream = tokio::net::TcpStream::connect(self.addr)
                .await
                .map_err(|e| e.to_string())?;
            stream.set_nodelay(true).map_err(|e| e.to_string())?;
            self.stream = Some(stream);
            self.read.clear();
        }
        let stream = self.stream.as_mut().unwrap();
        stream.write_all(request).await.map_err(|e| e.to_string())?;
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head) =
                response.parse(&self.read).map_err(|e| e.to_string())?
            {
                let status = response.code.unwrap_or(0);
                let length = response
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok()?.parse::<usize>().ok())
                    .ok_or("an answer without Content-Length")?;
                while self.read.len() < head + length {
                    self.fill().await?;
                }
                self.read.drain(..head + length);
                return Ok(status);
            }
            self.fill().await?;
        }
    }

    async fn fill(&mut self) -> Result<(), String> {
        use tokio::io::AsyncReadExt;
        let stream = self.stream.as_mut().unwrap();
        match stream.read_buf(&mut self.read).await {
            Ok(0) => Err("the server closed the connection".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The head of a request to `path` on the server at `base` (`http://127.0.0.1:port`).
fn request_head(method: &str, base: &str, path: &str) -> String {
    // As a browser sends it: the server compresses what it answers when it pays.
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: gzip, deflate, br\r\n",
        base.trim_start_matches("http://")
    )
}

/// Access codes for the letters' step, stored straight into the database (the API makes
/// at most a few hundred at a time): `count` eight-digit codes of `survey`.
async fn letters(setup: &Setup, survey: Uuid, count: usize) -> Vec<String> {
    let now = time::OffsetDateTime::now_utc();
    let codes: Vec<String> = (0..count).map(|i| format!("{i:08}")).collect();
    for chunk in codes.chunks(2_000) {
        access_code::Entity::insert_many(chunk.iter().map(|code| access_code::ActiveModel {
            id: Set(Uuid::new_v4()),
            survey_id: Set(survey),
            quarter_id: Set(setup.quarter),
            code_hash: Set(quartier::crypto::token_hash(code)),
            redeemed_at: Set(None),
            created_by: Set(None),
            created_at: Set(now),
        }))
        .exec(setup.db.writer())
        .await
        .unwrap();
    }
    codes
}

/// Submits responses for `secs` at `clients` clients; with `codes`, each redeems the
/// next of that many access codes (a letter's), as `POST …/responses` with `code`.
async fn ingest_step(setup: &Setup, clients: usize, secs: u64, codes: Option<usize>) -> Step {
    let survey = setup.open_survey(codes.is_some()).await;
    let codes = match codes {
        Some(count) => Some(std::sync::Arc::new(letters(setup, survey.id, count).await)),
        None => None,
    };
    let next_code = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let bodies = Arc::new(Bodies::new(&survey, setup.quarter, codes.is_some()));
    let head = request_head(
        "POST",
        &setup.base,
        &format!("/api/v1/public/surveys/{}/responses", survey.id),
    );
    let first_error = Arc::new(Mutex::new(None::<String>));
    struct Submitter {
        connection: Connection,
        head: String,
        bodies: Arc<Bodies>,
        codes: Option<Arc<Vec<String>>>,
        next_code: Arc<std::sync::atomic::AtomicUsize>,
        request: Vec<u8>,
    }
    impl Client for Submitter {
        async fn send(&mut self) -> bool {
            let code = self.codes.as_ref().map(|codes| {
                let n = self
                    .next_code
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                codes.get(n).map_or("", String::as_str)
            });
            let (_, body) = self.bodies.body(&mut rand::rng(), code);
            self.request.clear();
            self.request.extend_from_slice(self.head.as_bytes());
            write!(
                self.request,
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .unwrap();
            self.request.extend_from_slice(body.as_bytes());
            let request = std::mem::take(&mut self.request);
            let good = self.connection.exchange(&request, 201).await;
            self.request = request;
            good
        }
    }
    let (acknowledged, errors, elapsed, latency) = load(clients, secs, |_| Submitter {
        connection: Connection::new(&setup.base, first_error.clone()),
        head: head.clone(),
        bodies: bodies.clone(),
        codes: codes.clone(),
        next_code: next_code.clone(),
        request: Vec::with_capacity(4096),
    })
    .await;
    if let Some(e) = first_error.lock().unwrap().take() {
        println!("  first error: {e}");
    }
    let stored = survey_response::Entity::find()
        .filter(survey_response::Column::SurveyId.eq(survey.id))
        .count(setup.db.conn())
        .await
        .unwrap();
    Step {
        clients,
        acknowledged,
        errors,
        elapsed,
        latency,
        stored,
    }
}

/// Reading a survey to answer it, at `READ_CLIENTS` clients.
async fn read_step(setup: &Setup, secs: u64) -> (f64, Histogram<u64>, u64) {
    let survey = setup.open_survey(false).await;
    let request = format!(
        "{}\r\n",
        request_head(
            "GET",
            &setup.base,
            &format!("/api/v1/public/surveys/{}", survey.id)
        )
    );
    let first_error = Arc::new(Mutex::new(None::<String>));
    struct Reader {
        connection: Connection,
        request: Arc<str>,
    }
    impl Client for Reader {
        async fn send(&mut self) -> bool {
            let request = self.request.clone();
            self.connection.exchange(request.as_bytes(), 200).await
        }
    }
    let request: Arc<str> = request.into();
    let (ok, errors, elapsed, latency) = load(READ_CLIENTS, secs, |_| Reader {
        connection: Connection::new(&setup.base, first_error.clone()),
        request: request.clone(),
    })
    .await;
    if let Some(e) = first_error.lock().unwrap().take() {
        println!("  first error: {e}");
    }
    (ok as f64 / elapsed.as_secs_f64(), latency, errors)
}

/// The raw limit: one rusqlite writer thread that commits whatever is queued, fed by
/// producer threads that each wait for their commit before sending the next row.
fn raw_limit(producers: usize, secs: u64, answers_json: &str) -> (f64, Histogram<u64>) {
    type Job = (Uuid, mpsc::SyncSender<()>);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    // As the server's writer: the log is copied into the file every 10,000 pages.
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)
        .unwrap();
    conn.execute_batch(
        r#"CREATE TABLE "survey_responses" (
            "seq" INTEGER PRIMARY KEY AUTOINCREMENT,
            "id" uuid_text NOT NULL UNIQUE,
            "survey_id" uuid_text NOT NULL,
            "version" integer NOT NULL,
            "channel" varchar(16) NOT NULL,
            "quarter_id" uuid_text NULL,
            "age_band" varchar(16) NULL,
            "user_id" uuid_text NULL,
            "entered_by" uuid_text NULL,
            "answers" json_text NOT NULL,
            "submitted_at" timestamp_with_timezone_text NOT NULL
        );
        CREATE INDEX "survey_responses_survey_at_idx" ON "survey_responses" ("survey_id", "submitted_at");
        CREATE INDEX "survey_responses_by_user" ON "survey_responses" ("user_id") WHERE "user_id" IS NOT NULL"#,
    )
    .unwrap();
    let (tx, rx) = mpsc::sync_channel::<Job>(4096);
    let survey = Uuid::new_v4().to_string();
    let quarter = Uuid::new_v4().to_string();
    let answers = answers_json.to_owned();
    let writer = std::thread::spawn(move || {
        let mut conn = conn;
        let mut batch: Vec<Job> = Vec::with_capacity(RAW_MAX_BATCH);
        let mut committed = 0u64;
        while let Ok(first) = rx.recv() {
            batch.push(first);
            while batch.len() < RAW_MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let txn = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .unwrap();
            {
                let mut insert = txn
                    .prepare_cached(
                        r#"INSERT INTO "survey_responses" ("id", "survey_id", "version", "channel",
                           "quarter_id", "age_band", "user_id", "entered_by", "answers", "submitted_at")
                           VALUES (?1, ?2, 1, 'online', ?3, 'from_65_to_74', NULL, NULL, ?4, ?5)
                           ON CONFLICT ("id") DO NOTHING"#,
                    )
                    .unwrap();
                let day = "2026-11-30 00:00:00 +00:00";
                for (id, _) in &batch {
                    insert
                        .execute(rusqlite::params![
                            id.hyphenated().to_string(),
                            survey,
                            quarter,
                            answers,
                            day
                        ])
                        .unwrap();
                }
            }
            txn.commit().unwrap();
            committed += batch.len() as u64;
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(());
            }
        }
        committed
    });
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let threads: Vec<_> = (0..producers)
        .map(|_| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut h = histogram();
                let (reply, done) = mpsc::sync_channel(1);
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    tx.send((Uuid::new_v4(), reply.clone())).unwrap();
                    done.recv().unwrap();
                    h.record(t.elapsed().as_micros().max(1) as u64).unwrap();
                    n += 1;
                }
                (n, h)
            })
        })
        .collect();
    drop(tx);
    let mut latency = histogram();
    let mut total = 0;
    for t in threads {
        let (n, h) = t.join().unwrap();
        total += n;
        latency.add(h).unwrap();
    }
    let elapsed = start.elapsed();
    let committed = writer.join().unwrap();
    assert_eq!(
        committed, total,
        "raw limit: committed rows = acknowledged rows"
    );
    (total as f64 / elapsed.as_secs_f64(), latency)
}

/// The raw limit on PostgreSQL: the same kind of bare group-commit loop as
/// [`raw_limit`], through the product's own driver (SeaORM over sqlx), into a copy of
/// `survey_responses` (`LIKE … INCLUDING ALL`: same columns, key and indexes) with the
/// server's own statement (`jsonb_to_recordset`, `ON CONFLICT DO NOTHING RETURNING`).
/// One writer task takes whatever is queued (up to `RAW_MAX_BATCH`), inserts and
/// commits; `producers` tasks each wait for their row's commit before sending the next.
async fn raw_limit_postgres(
    url: &str,
    producers: usize,
    secs: u64,
    answers_json: &str,
) -> (f64, Histogram<u64>) {
    use sea_orm::{Statement, TransactionTrait};
    use tokio::sync::{mpsc, oneshot};
    let conn = Database::connect(url).await.unwrap();
    conn.execute_unprepared(
        r#"CREATE TABLE "raw_responses" (LIKE "survey_responses" INCLUDING ALL)"#,
    )
    .await
    .unwrap();
    let (tx, mut rx) = mpsc::channel::<(Uuid, oneshot::Sender<()>)>(4096);
    let survey = Uuid::new_v4();
    let quarter = Uuid::new_v4();
    let answers: serde_json::Value = serde_json::from_str(answers_json).unwrap();
    let writer_conn = conn.clone();
    let writer = tokio::spawn(async move {
        let mut batch = Vec::with_capacity(RAW_MAX_BATCH);
        let mut committed = 0u64;
        while rx.recv_many(&mut batch, RAW_MAX_BATCH).await > 0 {
            let rows: Vec<serde_json::Value> = batch
                .iter()
                .map(|(id, _)| {
                    serde_json::json!({
                        "id": id, "survey_id": survey, "version": 1, "channel": "online",
                        "quarter_id": quarter, "age_band": "from_65_to_74", "user_id": null,
                        "entered_by": null, "answers": answers,
                        "submitted_at": "2026-11-30T00:00:00Z",
                    })
                })
                .collect();
            let txn = writer_conn.begin().await.unwrap();
            let stored = txn
                .query_all_raw(Statement::from_sql_and_values(
                    sea_orm::DbBackend::Postgres,
                    r#"INSERT INTO "raw_responses" ("id", "survey_id", "version", "channel",
                        "quarter_id", "age_band", "user_id", "entered_by", "answers", "submitted_at")
                    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("id" uuid, "survey_id" uuid,
                        "version" integer, "channel" varchar, "quarter_id" uuid, "age_band" varchar,
                        "user_id" uuid, "entered_by" uuid, "answers" jsonb, "submitted_at" timestamptz)
                    ON CONFLICT ("id") DO NOTHING RETURNING "id""#,
                    [sea_orm::Value::from(serde_json::Value::Array(rows).to_string())],
                ))
                .await
                .unwrap();
            txn.commit().await.unwrap();
            assert_eq!(stored.len(), batch.len(), "raw limit: every key is new");
            committed += batch.len() as u64;
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(());
            }
        }
        committed
    });
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..producers)
        .map(|_| {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut h = histogram();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let (reply, done) = oneshot::channel();
                    tx.send((Uuid::new_v4(), reply)).await.unwrap();
                    done.await.unwrap();
                    h.record(t.elapsed().as_micros().max(1) as u64).unwrap();
                    n += 1;
                }
                (n, h)
            })
        })
        .collect();
    drop(tx);
    let mut latency = histogram();
    let mut total = 0;
    for t in tasks {
        let (n, h) = t.await.unwrap();
        total += n;
        latency.add(h).unwrap();
    }
    let elapsed = start.elapsed();
    let committed = writer.await.unwrap();
    assert_eq!(
        committed, total,
        "raw limit: committed rows = acknowledged rows"
    );
    conn.close().await.ok();
    (total as f64 / elapsed.as_secs_f64(), latency)
}

/// A throwaway PostgreSQL database next to the admin URL's; returns its URL and name.
async fn fresh_postgres(admin_url: &str) -> (String, String) {
    let name = format!("qt_bench_{}", Uuid::new_v4().simple());
    let admin = Database::connect(admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let slash = base.rfind('/').expect("database URL without a path");
    let mut url = format!("{}/{name}", &base[..slash]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    (url, name)
}

async fn drop_postgres(admin_url: &str, name: &str) {
    let admin = Database::connect(admin_url).await.unwrap();
    if let Err(e) = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
    {
        println!("warning: could not drop the bench database {name}: {e}");
    }
    admin.close().await.ok();
}

async fn run_database(setup: &Setup, clients: &[usize], secs: u64) -> Vec<Step> {
    let mut steps = Vec::new();
    for &c in clients {
        println!("[{}] ingest at {c} clients for {secs} s …", setup.name);
        let step = ingest_step(setup, c, secs, None).await;
        println!(
            "[{}] c={c}: {:.0} responses/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {} errors, stored {}/{}",
            setup.name,
            step.rate(),
            ms(&step.latency, 0.50),
            ms(&step.latency, 0.99),
            step.latency.max() as f64 / 1000.0,
            step.errors,
            step.stored,
            step.acknowledged,
        );
        steps.push(step);
    }
    steps
}

/// Every response redeems a letter's access code: the codes' table is written too.
async fn letters_step(setup: &Setup, secs: u64) -> Step {
    // More codes than the step can redeem at the target's rate and then some.
    let count = usize::try_from(secs).unwrap() * 15_000;
    println!(
        "[{}] letters: {count} access codes, then ingest at {LETTER_CLIENTS} clients for {secs} s …",
        setup.name
    );
    let step = ingest_step(setup, LETTER_CLIENTS, secs, Some(count)).await;
    println!(
        "[{}] letters c={LETTER_CLIENTS}: {:.0} responses/s, p99 {:.1} ms, {} errors, stored {}/{}",
        setup.name,
        step.rate(),
        ms(&step.latency, 0.99),
        step.errors,
        step.stored,
        step.acknowledged,
    );
    step
}

fn summary(name: &str, steps: &[Step], limit: Option<f64>) -> Vec<String> {
    steps
        .iter()
        .map(|s| {
            format!(
                "ingest {name} c={}: {:.0} responses/s, p50 {:.1} ms, p99 {:.1} ms, {} errors, stored {}/{}, limit {}",
                s.clients,
                s.rate(),
                ms(&s.latency, 0.50),
                ms(&s.latency, 0.99),
                s.errors,
                s.stored,
                s.acknowledged,
                limit.map_or("n/a".to_owned(), |l| format!("{l:.0}/s")),
            )
        })
        .collect()
}

fn main() {
    // RUST_LOG=quartier::surveys::ingest=debug shows each batch's phases.
    if std::env::var_os("RUST_LOG").is_some() {
        quartier::telemetry::init();
    }
    let secs = env_secs();
    let clients = env_clients();
    let read_secs = (secs / 4).clamp(2, 10);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!(
            "Ingest bench: {secs} s per step at {clients:?} clients; {} cores (client and server share them)",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );

        let dir = tempfile::tempdir().unwrap();
        let url = sqlite_url(&dir.path().join("bench.db"));
        let sqlite = Setup::start("sqlite", url, dir).await;
        let probe = sqlite.open_survey(false).await;
        let bodies = Bodies::new(&probe, sqlite.quarter, false);
        let answers_json = serde_json::to_string(&answers(0)).unwrap();
        println!(
            "A response: 20 answers, {} bytes of request JSON, {} bytes of stored answers",
            bodies.typical_len(),
            answers_json.len()
        );

        println!("[raw] rusqlite group-commit loop, {RAW_PRODUCERS} producers for {secs} s …");
        let (limit, raw_latency) = raw_limit(RAW_PRODUCERS, secs, &answers_json);
        println!(
            "[raw] {limit:.0} rows/s, p50 {:.1} ms, p99 {:.1} ms",
            ms(&raw_latency, 0.50),
            ms(&raw_latency, 0.99)
        );

        let sqlite_steps = run_database(&sqlite, &clients, secs).await;
        let sqlite_letters = letters_step(&sqlite, secs).await;
        println!("[sqlite] reading a survey at {READ_CLIENTS} clients for {read_secs} s …");
        let (read_rate, read_latency, read_errors) = read_step(&sqlite, read_secs).await;

        let mut postgres = None;
        match std::env::var("QUARTIER_BENCH_PG_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let (url, name) = fresh_postgres(&admin_url).await;
                let setup =
                    Setup::start("postgres", url.clone(), tempfile::tempdir().unwrap()).await;
                println!(
                    "[raw] PostgreSQL group-commit loop, {RAW_PRODUCERS} producers for {secs} s …"
                );
                let (pg_limit, pg_latency) =
                    raw_limit_postgres(&url, RAW_PRODUCERS, secs, &answers_json).await;
                println!(
                    "[raw] {pg_limit:.0} rows/s, p50 {:.1} ms, p99 {:.1} ms",
                    ms(&pg_latency, 0.50),
                    ms(&pg_latency, 0.99)
                );
                let steps = run_database(&setup, &clients, secs).await;
                let letters = letters_step(&setup, secs).await;
                drop(setup);
                drop_postgres(&admin_url, &name).await;
                postgres = Some((steps, letters, pg_limit, pg_latency));
            }
            _ => println!("[postgres] skipped: QUARTIER_BENCH_PG_URL is not set"),
        }

        println!();
        println!(
            "Raw limit: a bare rusqlite group-commit loop (one writer thread, prepared insert, WAL, \
             synchronous=FULL, up to {RAW_MAX_BATCH} rows a transaction) fed by {RAW_PRODUCERS} \
             producer threads: {limit:.0} responses/s (p99 {:.1} ms). It stores only the response \
             rows, into the same table with the same indexes (no counters, no HTTP, no \
             validation).",
            ms(&raw_latency, 0.99)
        );
        for s in &sqlite_steps {
            println!(
                "sqlite c={}: {:.0}% of the raw limit",
                s.clients,
                100.0 * s.rate() / limit
            );
        }
        if let Some((steps, _, pg_limit, pg_latency)) = &postgres {
            println!(
                "PostgreSQL's raw limit: the same loop through SeaORM (one writer task, the \
                 server's own `jsonb_to_recordset` insert, one commit per batch, no counters, \
                 no HTTP) fed by {RAW_PRODUCERS} producer tasks: {pg_limit:.0} responses/s \
                 (p99 {:.1} ms).",
                ms(pg_latency, 0.99)
            );
            for s in steps {
                println!(
                    "postgres c={}: {:.0}% of the raw limit",
                    s.clients,
                    100.0 * s.rate() / pg_limit
                );
            }
        }
        println!(
            "read GET /api/v1/public/surveys/{{id}} sqlite c={READ_CLIENTS}: {read_rate:.0} requests/s, \
             p50 {:.1} ms, p99 {:.1} ms, {read_errors} errors (target ≥ 20000/s)",
            ms(&read_latency, 0.50),
            ms(&read_latency, 0.99)
        );
        println!(
            "Targets: ≥ 10000 responses/s at 32 clients with p99 ≤ 20 ms on SQLite, ≥ 4000/s on \
             PostgreSQL, 0 errors, stored = acknowledged."
        );
        println!();
        for line in summary("sqlite", &sqlite_steps, Some(limit)) {
            println!("{line}");
        }
        if let Some((steps, _, limit, _)) = &postgres {
            for line in summary("postgres", steps, Some(*limit)) {
                println!("{line}");
            }
        }
        // Every response redeems an access code (as from a letter), 32 clients.
        for line in summary("sqlite letters", std::slice::from_ref(&sqlite_letters), Some(limit)) {
            println!("{line}");
        }
        if let Some((_, letters, limit, _)) = &postgres {
            for line in summary("postgres letters", std::slice::from_ref(letters), Some(*limit)) {
                println!("{line}");
            }
        }
    });
}
