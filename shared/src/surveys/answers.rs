//! Answers, show-if conditions and answer validation: the same code decides in the
//! browser which question comes next and on the server whether a response is valid.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::definition::{Combine, OTHER, Question, QuestionKind, Rule, ShowIf, SurveyDefinition};
use crate::FieldError;
use crate::help::HelpCategory;

/// Longest "other: ___" text.
pub const MAX_OTHER_CHARS: usize = 500;

/// All answers of one response, by question key.
pub type Answers = BTreeMap<String, Answer>;

/// One answer. The `type` matches the question's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "super::wire::AnswerWire"
)]
pub enum Answer {
    /// Single choice: an option key, or `other` with its text.
    Choice {
        option: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other_text: Option<String>,
    },
    /// Multiple choice: option keys (`other` with its text).
    Choices {
        options: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other_text: Option<String>,
    },
    /// Rating 1–5.
    Rating {
        value: u8,
    },
    YesNo {
        value: bool,
    },
    Number {
        value: f64,
    },
    Text {
        value: String,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date {
        value: String,
    },
    /// Matrix: statement key → scale point key.
    Matrix {
        rows: BTreeMap<String, String>,
    },
}

impl Answer {
    /// Whether a condition's value (option key, `1`–`5`, `yes`/`no`) matches this answer.
    fn matches(&self, value: &str) -> bool {
        match self {
            Answer::Choice { option, .. } => option == value,
            Answer::Choices { options, .. } => options.iter().any(|o| o == value),
            Answer::Rating { value: v } => v.to_string() == value,
            Answer::YesNo { value: v } => (if *v { "yes" } else { "no" }) == value,
            _ => false,
        }
    }
}

/// Whether a rule holds, seeing only the answers to questions in `shown`.
fn rule_holds(rule: &Rule, answers: &Answers, shown: &BTreeSet<String>) -> bool {
    let answer = answers
        .get_key_value(rule.question())
        .filter(|(question, _)| shown.contains(*question))
        .map(|(_, answer)| answer);
    match rule {
        Rule::Answered { .. } => answer.is_some(),
        Rule::NotAnswered { .. } => answer.is_none(),
        Rule::Equals { value, .. } => answer.is_some_and(|a| a.matches(value)),
        Rule::OneOf { values, .. } => answer.is_some_and(|a| values.iter().any(|v| a.matches(v))),
    }
}

fn holds(show_if: &ShowIf, answers: &Answers, shown: &BTreeSet<String>) -> bool {
    match show_if.combine {
        Combine::All => show_if.rules.iter().all(|r| rule_holds(r, answers, shown)),
        Combine::Any => show_if.rules.iter().any(|r| rule_holds(r, answers, shown)),
    }
}

impl SurveyDefinition {
    /// Keys of the questions shown for these answers, in order. A condition sees only the
    /// answers to questions that are themselves shown, so hiding a question also hides
    /// what depends on it.
    pub fn visible(&self, answers: &Answers) -> BTreeSet<String> {
        // The questions shown so far: a condition names only earlier questions, so these
        // are the answers it may see (nothing is copied; the server checks every
        // response with this).
        let mut shown = BTreeSet::new();
        for q in self.questions() {
            if q.show_if.as_ref().is_none_or(|c| holds(c, answers, &shown)) {
                shown.insert(q.id.clone());
            }
        }
        shown
    }

    /// The kinds of help a person said "yes" to, in the survey's order, each once. Only
    /// questions that are shown for these answers count.
    pub fn needs(&self, answers: &Answers) -> Vec<HelpCategory> {
        let visible = self.visible(answers);
        let mut needs = Vec::new();
        for q in self.questions().filter(|q| visible.contains(&q.id)) {
            let said: Vec<HelpCategory> = match (&q.kind, answers.get(&q.id)) {
                (QuestionKind::YesNo, Some(Answer::YesNo { value: true })) => {
                    q.need.into_iter().collect()
                }
                (
                    QuestionKind::SingleChoice { options, .. }
                    | QuestionKind::MultipleChoice { options, .. },
                    Some(answer),
                ) => options
                    .iter()
                    .filter(|o| answer.matches(&o.id))
                    .filter_map(|o| o.need)
                    .collect(),
                _ => Vec::new(),
            };
            for need in said {
                if !needs.contains(&need) {
                    needs.push(need);
                }
            }
        }
        needs
    }

    /// The answers without those to questions that are no longer shown (a person went back
    /// and changed an earlier answer).
    pub fn prune_hidden(&self, answers: &Answers) -> Answers {
        let visible = self.visible(answers);
        answers
            .iter()
            .filter(|(k, _)| visible.contains(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Everything wrong with a response's answers, as `answers.<question>` field errors.
    /// Empty when the response may be stored.
    pub fn answer_problems(&self, answers: &Answers) -> Vec<FieldError> {
        let visible = self.visible(answers);
        let mut errors = Vec::new();
        let mut push = |key: &str, code: &str| {
            errors.push(FieldError {
                field: format!("answers.{key}"),
                code: code.to_owned(),
            })
        };
        for key in answers.keys() {
            match self.question(key) {
                None => push(key, "unknown_question"),
                Some(_) if !visible.contains(key) => push(key, "not_shown"),
                Some(_) => {}
            }
        }
        for q in self.questions().filter(|q| visible.contains(&q.id)) {
            match answers.get(&q.id) {
                None if q.required => push(&q.id, "required"),
                None => {}
                Some(answer) => {
                    if let Some(code) = answer_problem(q, answer) {
                        push(&q.id, code);
                    }
                }
            }
        }
        errors
    }
}

/// What a draft (answers kept while a person is still answering) may not hold: answers
/// that could never become right by answering on. Everything else — a required question
/// not answered yet, too few choices, "other" chosen before its text, a number outside
/// its range while still being typed, an empty text — is refused only on submission.
const DRAFT_REFUSES: &[&str] = &[
    "unknown_option",
    "duplicate_option",
    "out_of_range",
    "not_a_number",
    "too_long",
    "control_characters",
    "wrong_type",
];

impl SurveyDefinition {
    /// Everything wrong with a draft's answers (see [`DRAFT_REFUSES`]), as
    /// `answers.<question>` field errors. Which questions show is not checked: a person
    /// who goes back and changes an answer may hide a question answered before.
    pub fn draft_problems(&self, answers: &Answers) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (key, answer) in answers {
            let code = match self.question(key) {
                None => Some("unknown_question"),
                Some(q) => answer_problem(q, answer)
                    .filter(|code| DRAFT_REFUSES.contains(code))
                    .or_else(|| other_text_problem(answer)),
            };
            if let Some(code) = code {
                errors.push(FieldError {
                    field: format!("answers.{key}"),
                    code: code.to_owned(),
                });
            }
        }
        errors
    }
}

/// An "other" text that is too long or holds control characters, whatever else the
/// answer still lacks (`answer_problem` names only an answer's first problem).
fn other_text_problem(answer: &Answer) -> Option<&'static str> {
    let (Answer::Choice { other_text, .. } | Answer::Choices { other_text, .. }) = answer else {
        return None;
    };
    let text = other_text.as_deref()?;
    if text.chars().count() > MAX_OTHER_CHARS {
        Some("too_long")
    } else if has_control(text) {
        Some("control_characters")
    } else {
        None
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn other_problem(chose_other: bool, other_text: &Option<String>) -> Option<&'static str> {
    match (chose_other, other_text) {
        (true, None) => Some("other_text_required"),
        (true, Some(t)) if t.trim().is_empty() => Some("other_text_required"),
        (true, Some(t)) if t.chars().count() > MAX_OTHER_CHARS => Some("too_long"),
        (true, Some(t)) if has_control(t) => Some("control_characters"),
        (false, Some(_)) => Some("other_text_without_other"),
        _ => None,
    }
}

/// Whether `value` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(m) else {
        return false;
    };
    time::Date::from_calendar_date(y, month, d).is_ok()
}

fn answer_problem(q: &Question, answer: &Answer) -> Option<&'static str> {
    match (&q.kind, answer) {
        (QuestionKind::SingleChoice { options, other }, Answer::Choice { option, other_text }) => {
            let is_other = option == OTHER;
            if is_other && !other {
                return Some("unknown_option");
            }
            if !is_other && !options.iter().any(|o| &o.id == option) {
                return Some("unknown_option");
            }
            other_problem(is_other, other_text)
        }
        (
            QuestionKind::MultipleChoice {
                options,
                other,
                min,
                max,
            },
            Answer::Choices {
                options: chosen,
                other_text,
            },
        ) => {
            let mut unique = BTreeSet::new();
            for c in chosen {
                let known = (c == OTHER && *other) || options.iter().any(|o| &o.id == c);
                if !known {
                    return Some("unknown_option");
                }
                if !unique.insert(c) {
                    return Some("duplicate_option");
                }
            }
            let n = chosen.len() as u32;
            if n == 0 || min.is_some_and(|m| n < m) {
                return Some("too_few");
            }
            if max.is_some_and(|m| n > m) {
                return Some("too_many");
            }
            other_problem(chosen.iter().any(|c| c == OTHER), other_text)
        }
        (QuestionKind::Rating { .. }, Answer::Rating { value }) => {
            (!(1..=5).contains(value)).then_some("out_of_range")
        }
        (QuestionKind::YesNo, Answer::YesNo { .. }) => None,
        (
            QuestionKind::Number {
                min, max, integer, ..
            },
            Answer::Number { value },
        ) => {
            if !value.is_finite() {
                Some("not_a_number")
            } else if *integer && value.fract() != 0.0 {
                Some("not_integer")
            } else if min.is_some_and(|m| *value < m) {
                Some("too_small")
            } else if max.is_some_and(|m| *value > m) {
                Some("too_large")
            } else {
                None
            }
        }
        (QuestionKind::FreeText { max_length }, Answer::Text { value }) => {
            if value.trim().is_empty() {
                Some("empty")
            } else if value.chars().count() > *max_length as usize {
                Some("too_long")
            } else if has_control(value) {
                Some("control_characters")
            } else {
                None
            }
        }
        (QuestionKind::Date, Answer::Date { value }) => {
            (!is_iso_date(value)).then_some("invalid_date")
        }
        (QuestionKind::Matrix { statements, scale }, Answer::Matrix { rows }) => {
            if rows.is_empty() {
                return Some("empty");
            }
            for (statement, point) in rows {
                if !statements.iter().any(|s| &s.id == statement)
                    || !scale.iter().any(|p| &p.id == point)
                {
                    return Some("unknown_option");
                }
            }
            (q.required && rows.len() < statements.len()).then_some("incomplete")
        }
        _ => Some("wrong_type"),
    }
}
