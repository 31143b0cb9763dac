//! Demo surveys: the age-friendly template open in two quarters with a few hundred
//! responses across channels and age bands, a draft, a closed survey, and access codes
//! a newcomer can try (printed in the README).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveModelTrait, Set};
use shared::AgeBand;
use shared::surveys::{
    Answer, Answers, Channel, QuestionKind, SurveyAccess, SurveyDefinition, SurveyStatus, Text,
    template,
};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::counters;
use super::ingest::{self, Submission, Ticket};
use super::stored::{answers_json, to_json};
use crate::crypto::token_hash;
use crate::db::Db;
use crate::entities::{access_code, survey, survey_quarter, survey_version};
use crate::error::ApiError;

/// Unredeemed codes of the open demo survey (Altstadt-Nord), for trying the letter flow.
pub const DEMO_CODES: [&str; 4] = ["TEE4-KAFE", "MARK-7AGE", "GRUN-9DAC", "WEG4-PARK"];

fn anyhow(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

struct NewSurvey<'a> {
    title: Text,
    intro: Text,
    status: SurveyStatus,
    quarters: &'a [Uuid],
    definition: &'a SurveyDefinition,
    access: SurveyAccess,
    created: OffsetDateTime,
}

async fn insert(db: &Db, org: Uuid, manager: Uuid, s: NewSurvey<'_>) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    let definition = to_json(s.definition).map_err(anyhow)?;
    let txn = db.begin_write().await?;
    survey::ActiveModel {
        id: Set(id),
        organisation_id: Set(org),
        title: Set(to_json(&s.title).map_err(anyhow)?),
        intro: Set(to_json(&s.intro).map_err(anyhow)?),
        status: Set(s.status.as_str().to_owned()),
        opens_at: Set(None),
        closes_at: Set(None),
        anonymous: Set(true),
        access_public: Set(s.access.public_link),
        access_codes: Set(s.access.codes),
        access_signed_in: Set(s.access.signed_in),
        profile_questions: Set(true),
        version: Set(1),
        definition: Set(definition.clone()),
        created_by: Set(Some(manager)),
        created_at: Set(s.created),
        updated_at: Set(s.created),
    }
    .insert(&txn)
    .await?;
    for q in s.quarters {
        survey_quarter::ActiveModel {
            survey_id: Set(id),
            quarter_id: Set(*q),
        }
        .insert(&txn)
        .await?;
    }
    survey_version::ActiveModel {
        survey_id: Set(id),
        version: Set(1),
        definition: Set(definition),
        created_at: Set(s.created),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Plausible answers: every shown question answered most of the time.
pub(crate) fn random_answers(definition: &SurveyDefinition, rng: &mut StdRng) -> Answers {
    let mut answers = Answers::new();
    for q in definition.questions() {
        if !definition.visible(&answers).contains(&q.id) || (!q.required && rng.random_bool(0.15)) {
            continue;
        }
        let pick = |rng: &mut StdRng, n: usize| rng.random_range(0..n);
        let answer = match &q.kind {
            QuestionKind::SingleChoice { options, .. } => Answer::Choice {
                option: options[pick(rng, options.len())].id.clone(),
                other_text: None,
            },
            QuestionKind::MultipleChoice { options, max, .. } => {
                let limit = max.map_or(options.len(), |m| m as usize).min(options.len());
                let n = 1 + pick(rng, limit);
                let start = pick(rng, options.len());
                Answer::Choices {
                    options: (0..n)
                        .map(|k| options[(start + k) % options.len()].id.clone())
                        .collect(),
                    other_text: None,
                }
            }
            QuestionKind::Rating { .. } => Answer::Rating {
                value: [1, 2, 3, 3, 4, 4, 4, 5][pick(rng, 8)],
            },
            QuestionKind::YesNo => Answer::YesNo {
                value: rng.random_bool(0.6),
            },
            QuestionKind::Number { min, max, .. } => {
                let lo = min.unwrap_or(0.0) as i64;
                let hi = (max.unwrap_or(100.0) as i64).min(lo + 30);
                Answer::Number {
                    value: rng.random_range(lo..=hi) as f64,
                }
            }
            QuestionKind::FreeText { .. } => {
                const WISHES: [&str; 6] = [
                    "Mehr Bänke auf dem Weg zum Markt.",
                    "Eine Apotheke näher am Wohngebiet.",
                    "Der Aufzug am Bahnhof ist oft kaputt.",
                    "Ein Café, in dem man Nachbarn trifft.",
                    "Hilfe beim Ausfüllen von Anträgen.",
                    "Abends mehr Licht im Park.",
                ];
                Answer::Text {
                    value: WISHES[pick(rng, WISHES.len())].to_owned(),
                }
            }
            QuestionKind::Date => Answer::Date {
                value: format!("2026-{:02}-{:02}", 1 + pick(rng, 10), 1 + pick(rng, 28)),
            },
            QuestionKind::Matrix { statements, scale } => Answer::Matrix {
                rows: statements
                    .iter()
                    .map(|s| (s.id.clone(), scale[pick(rng, scale.len())].id.clone()))
                    .collect(),
            },
        };
        answers.insert(q.id.clone(), answer);
    }
    answers
}

/// Seeds the demo surveys, all in the demo manager's quarters; `quarters` are
/// Altstadt-Nord, Gartenstadt, Am Bahnhof.
pub async fn seed(db: &Db, org: Uuid, quarters: &[Uuid], manager: Uuid) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let t = template::age_friendly();
    let open = insert(
        db,
        org,
        manager,
        NewSurvey {
            title: t.title.clone(),
            intro: t.intro.clone(),
            status: SurveyStatus::Open,
            quarters: &quarters[..2],
            definition: &t.definition,
            access: SurveyAccess {
                public_link: true,
                codes: true,
                signed_in: true,
            },
            created: now - Duration::days(21),
        },
    )
    .await?;
    insert(
        db,
        org,
        manager,
        NewSurvey {
            title: Text::new(
                "Sommerfest 2027: Ihre Ideen",
                "Summer party 2027: your ideas",
            ),
            intro: Text::new(
                "Was soll es beim nächsten Sommerfest geben?",
                "What should the next summer party have?",
            ),
            status: SurveyStatus::Draft,
            quarters: &quarters[1..2],
            definition: &t.definition,
            access: SurveyAccess {
                public_link: true,
                codes: false,
                signed_in: false,
            },
            created: now - Duration::days(2),
        },
    )
    .await?;
    let closed = insert(
        db,
        org,
        manager,
        NewSurvey {
            title: Text::new("Bänke am Bahnhof", "Benches at the station"),
            intro: Text::new(
                "Eine kurze Umfrage aus dem Frühjahr.",
                "A short survey from the spring.",
            ),
            status: SurveyStatus::Closed,
            quarters: &quarters[..1],
            definition: &t.definition,
            access: SurveyAccess {
                public_link: true,
                codes: false,
                signed_in: false,
            },
            created: now - Duration::days(200),
        },
    )
    .await?;

    let txn = db.begin_write().await?;
    for code in DEMO_CODES {
        access_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            survey_id: Set(open),
            quarter_id: Set(quarters[0]),
            code_hash: Set(token_hash(&code.replace('-', ""))),
            redeemed_at: Set(None),
            created_by: Set(Some(manager)),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;

    // A fixed seed: every demo database tells the same story.
    let mut rng = StdRng::seed_from_u64(2026);
    let bands = AgeBand::ALL;
    let mut batch = Vec::new();
    let layout = std::sync::Arc::new(counters::Layout::of(&t.definition));
    for (survey_id, count, qs, days) in [
        (open, 340, &quarters[..2], 20),
        (closed, 60, &quarters[..1], 30),
    ] {
        for _ in 0..count {
            let answers = random_answers(&t.definition, &mut rng);
            let channel = match rng.random_range(0..10) {
                0..=5 => Channel::Online,
                6..=7 => Channel::Paper,
                8 => Channel::Phone,
                _ => Channel::Assisted,
            };
            // Older people more often than their share of the population.
            let band = bands[[0, 1, 1, 2, 2, 3, 3, 3, 4, 4][rng.random_range(0..10)]];
            let quarter = qs[rng.random_range(0..qs.len())];
            let day = (now - Duration::days(rng.random_range(0..days)))
                .replace_time(time::Time::MIDNIGHT);
            batch.push(Submission {
                id: Uuid::new_v4(),
                survey_id,
                version: 1,
                channel: channel.as_str().to_owned(),
                quarter_id: Some(quarter),
                age_band: (!rng.random_bool(0.1)).then(|| band.as_str().to_owned()),
                user_id: None,
                entered_by: (channel != Channel::Online).then_some(manager),
                increments: counters::increments(&layout, &answers, day.date()),
                answers: answers_json(&answers).map_err(anyhow)?,
                submitted_at: day,
                ticket: Ticket::None,
                clears_draft_of: None,
            });
        }
    }
    for chunk in batch.chunks(ingest::MAX_BATCH) {
        let refs: Vec<&Submission> = chunk.iter().collect();
        ingest::store(db, &refs).await?;
    }
    Ok(())
}
