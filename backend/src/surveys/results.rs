//! Results for managers: counts per question and option, numeric summaries, free
//! texts and participation by group, read from the counters kept on the write path.
//! Groups of fewer than 5 people are never shown as a number.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use shared::surveys::{
    Answer, Answers, DayCountDto, GroupCountDto, MIN_GROUP, MatrixRowDto, NumberSummaryDto,
    OptionCountDto, QuestionKind, QuestionResultDto, ResultsFilter, SurveyResultsDto, suppress,
};
use uuid::Uuid;

use super::counters::Tally;
use super::stored::{DAY, for_staff};
use crate::auth::AuthUser;
use crate::entities::{survey_response, survey_tally};
use crate::error::ApiError;
use crate::startup::AppState;

/// Most free-text answers returned per question.
const MAX_TEXTS: usize = 200;
/// Most recent responses read for free texts.
const TEXT_SCAN: u64 = 2000;

fn count(n: i64) -> Option<u64> {
    suppress(u64::try_from(n).unwrap_or(0))
}

pub async fn results(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
    filter: ResultsFilter,
) -> Result<SurveyResultsDto, ApiError> {
    let view = for_staff(state, me, survey_id).await?;
    // Which quarters' responses this person may count: theirs, or (seeing the whole
    // survey) also the responses that name no quarter.
    let quarter_keys: Option<Vec<String>> = match filter.quarter_id {
        Some(q) if !view.quarters.contains(&q) => return Err(ApiError::NotFound),
        Some(q) => Some(vec![q.to_string()]),
        None if view.sees_all() => None,
        None => Some(view.quarters.iter().map(Uuid::to_string).collect()),
    };
    let mut query =
        survey_tally::Entity::find().filter(survey_tally::Column::SurveyId.eq(survey_id));
    if let Some(keys) = &quarter_keys {
        query = query.filter(survey_tally::Column::QuarterKey.is_in(keys.iter().cloned()));
    }
    if let Some(band) = filter.age_band {
        query = query.filter(survey_tally::Column::AgeBand.eq(band.as_str()));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(survey_tally::Column::Channel.eq(channel.as_str()));
    }
    let rows = query.all(state.db.conn()).await?;

    let mut by_quarter: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_age: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_channel: BTreeMap<String, i64> = BTreeMap::new();
    let mut sum = Tally::default();
    for row in &rows {
        *by_quarter.entry(row.quarter_key.clone()).or_default() += row.responses;
        *by_age.entry(row.age_band.clone()).or_default() += row.responses;
        *by_channel.entry(row.channel.clone()).or_default() += row.responses;
        sum.merge(&Tally::from_row(row.responses, &row.counts)?);
    }
    let by_day: BTreeMap<String, i64> = sum
        .cells
        .get(DAY)
        .map(|days| days.iter().map(|(d, c)| (d.clone(), c.n())).collect())
        .unwrap_or_default();
    let total: i64 = sum.responses;
    let suppressed = total > 0 && u64::try_from(total).unwrap_or(0) < MIN_GROUP;
    let groups = |m: BTreeMap<String, i64>| -> Vec<GroupCountDto> {
        m.into_iter()
            .map(|(key, n)| GroupCountDto {
                key,
                count: count(n),
            })
            .collect()
    };
    let mut dto = SurveyResultsDto {
        survey_id,
        responses: count(total),
        suppressed,
        by_quarter: groups(by_quarter),
        by_age_band: groups(by_age),
        by_channel: groups(by_channel),
        by_day: by_day
            .into_iter()
            .map(|(day, n)| DayCountDto {
                day,
                count: count(n),
            })
            .collect(),
        questions: Vec::new(),
    };
    if suppressed {
        return Ok(dto);
    }
    let get = |q: &str, c: &str| {
        sum.cells
            .get(q)
            .and_then(|choices| choices.get(c))
            .copied()
            .unwrap_or_default()
    };
    let options = |q: &str, keys: Vec<String>| -> Vec<OptionCountDto> {
        keys.into_iter()
            .map(|key| OptionCountDto {
                count: count(get(q, &key).n()),
                key,
            })
            .collect()
    };
    let mut text_questions = Vec::new();
    for q in view.survey.definition.questions() {
        let answered = get(&q.id, "");
        let answered_n = u64::try_from(answered.n()).unwrap_or(0);
        let mut result = QuestionResultDto {
            question: q.id.clone(),
            kind: q.kind.name().to_owned(),
            answered: count(answered.n()),
            options: Vec::new(),
            rows: Vec::new(),
            number: None,
            texts: Vec::new(),
        };
        match &q.kind {
            QuestionKind::Matrix { statements, scale } => {
                result.rows = statements
                    .iter()
                    .map(|s| MatrixRowDto {
                        statement: s.id.clone(),
                        options: options(
                            &format!("{}.{}", q.id, s.id),
                            scale.iter().map(|p| p.id.clone()).collect(),
                        ),
                    })
                    .collect();
            }
            QuestionKind::Number { .. } => {
                if answered_n >= MIN_GROUP {
                    result.number = Some(NumberSummaryDto {
                        mean: answered.total() / answered_n as f64,
                        min: answered.min().unwrap_or(0.0),
                        max: answered.max().unwrap_or(0.0),
                    });
                }
            }
            QuestionKind::FreeText { .. } => {
                if answered_n >= MIN_GROUP {
                    text_questions.push(q.id.clone());
                }
            }
            other => result.options = options(&q.id, other.condition_values()),
        }
        dto.questions.push(result);
    }
    if !text_questions.is_empty() {
        let texts = free_texts(state, survey_id, &quarter_keys, &filter, &text_questions).await?;
        for result in &mut dto.questions {
            if let Some(t) = texts.get(&result.question) {
                result.texts = t.clone();
            }
        }
    }
    Ok(dto)
}

/// The newest free-text answers of the selected group, per question.
async fn free_texts(
    state: &AppState,
    survey_id: Uuid,
    quarter_keys: &Option<Vec<String>>,
    filter: &ResultsFilter,
    questions: &[String],
) -> Result<HashMap<String, Vec<String>>, ApiError> {
    let mut query = survey_response::Entity::find()
        .select_only()
        .column(survey_response::Column::Answers)
        .filter(survey_response::Column::SurveyId.eq(survey_id));
    if let Some(keys) = quarter_keys {
        let ids: Vec<Uuid> = keys.iter().filter_map(|k| k.parse().ok()).collect();
        query = query.filter(survey_response::Column::QuarterId.is_in(ids));
    }
    if let Some(band) = filter.age_band {
        query = query.filter(survey_response::Column::AgeBand.eq(band.as_str()));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(survey_response::Column::Channel.eq(channel.as_str()));
    }
    let documents: Vec<serde_json::Value> = query
        .order_by_desc(survey_response::Column::SubmittedAt)
        .limit(TEXT_SCAN)
        .into_tuple()
        .all(state.db.conn())
        .await?;
    let mut texts: HashMap<String, Vec<String>> = HashMap::new();
    for doc in documents {
        let Ok(answers) = serde_json::from_value::<Answers>(doc) else {
            continue;
        };
        for q in questions {
            if let Some(Answer::Text { value }) = answers.get(q) {
                let list = texts.entry(q.clone()).or_default();
                if list.len() < MAX_TEXTS {
                    list.push(value.clone());
                }
            }
        }
    }
    Ok(texts)
}
