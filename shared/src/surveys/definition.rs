//! What a survey asks: sections of questions, each of a kind, with show-if conditions.
//!
//! A survey is content, not UI text: every text a manager writes is a [`Text`] with a
//! German and an English version. The checks here run in the browser (authoring page)
//! and on the server (before anything is stored), so both refuse the same definitions.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::help::HelpCategory;
use crate::prefs::Language;

/// Longest text a manager can write for one question, option or title.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest stable key of a section, question or option (`q12`, `bench`).
pub const MAX_KEY_CHARS: usize = 40;
/// Most questions one survey can have.
pub const MAX_QUESTIONS: usize = 200;
/// Most options of one choice question, statements or scale points of a matrix.
pub const MAX_OPTIONS: usize = 50;
/// Longest free-text answer a question may allow.
pub const MAX_FREE_TEXT: u32 = 5000;
/// The option key for "other: ___" on choice questions.
pub const OTHER: &str = "other";

/// A text written by a manager, in German and (optionally) English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Text {
    pub de: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(de: &str, en: &str) -> Text {
        Text {
            de: de.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The text in `language`, falling back to German where no translation exists.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.de,
        }
    }

    /// True when the German text is there but the English one is missing.
    pub fn lacks_english(&self) -> bool {
        !self.de.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// A survey's questions, in sections; a section is one screen when answering.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDefinition {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// Stable key, unique in the survey.
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable key, unique in the survey; answers are stored under it.
    pub id: String,
    pub text: Text,
    /// Explanation shown under the question.
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    pub kind: QuestionKind,
    /// Shown only when this holds for earlier answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
    /// A yes/no question marked as a need ("Do you need help with shopping?"): a "yes"
    /// lets the person ask for this kind of help from the thank-you page. Options of
    /// choice questions carry their own [`Choice::need`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<HelpCategory>,
}

/// One option of a choice question, a statement or a scale point of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// Stable key, unique within its list; `other` is reserved.
    pub id: String,
    pub text: Text,
    /// On an option of a choice question: choosing it says the person needs this kind
    /// of help (the thank-you page then offers to ask for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<HelpCategory>,
}

/// How a 1–5 rating is shown. Faces always come with their word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingStyle {
    Words,
    Faces,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    try_from = "super::wire::KindWire"
)]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<Choice>,
        /// Adds "other: ___" with a text field.
        #[serde(default)]
        other: bool,
    },
    MultipleChoice {
        options: Vec<Choice>,
        #[serde(default)]
        other: bool,
        /// Fewest selections when answered (at least 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u32>,
        /// Most selections.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// 1 (worst) to 5 (best); `labels` are the five words, worst first.
    Rating {
        style: RatingStyle,
        labels: Vec<Text>,
    },
    YesNo,
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
        /// E.g. "Minuten".
        #[serde(default)]
        unit: Text,
    },
    FreeText {
        max_length: u32,
    },
    Date,
    /// Several statements rated on one scale.
    Matrix {
        statements: Vec<Choice>,
        scale: Vec<Choice>,
    },
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::Number { .. } => "number",
            QuestionKind::FreeText { .. } => "free_text",
            QuestionKind::Date => "date",
            QuestionKind::Matrix { .. } => "matrix",
        }
    }

    /// Option keys a `one_of`/`equals` condition on this question may name.
    pub fn condition_values(&self) -> Vec<String> {
        match self {
            QuestionKind::SingleChoice { options, other }
            | QuestionKind::MultipleChoice { options, other, .. } => {
                let mut keys: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
                if *other {
                    keys.push(OTHER.to_owned());
                }
                keys
            }
            QuestionKind::Rating { .. } => (1..=5).map(|n| n.to_string()).collect(),
            QuestionKind::YesNo => vec!["yes".into(), "no".into()],
            _ => Vec::new(),
        }
    }
}

/// Show a question only when its rules hold: all of them, or any of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShowIf {
    #[serde(default = "Combine::all")]
    pub combine: Combine,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    All,
    Any,
}

impl Combine {
    fn all() -> Combine {
        Combine::All
    }
}

/// One test on an earlier question's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    tag = "op",
    rename_all = "snake_case",
    try_from = "super::wire::RuleWire"
)]
pub enum Rule {
    /// The answer is (or, for multiple choice, includes) this option, rating or yes/no.
    Equals {
        question: String,
        value: String,
    },
    /// The answer is (or includes) one of these.
    OneOf {
        question: String,
        values: Vec<String>,
    },
    Answered {
        question: String,
    },
    NotAnswered {
        question: String,
    },
}

impl Rule {
    pub fn question(&self) -> &str {
        match self {
            Rule::Equals { question, .. }
            | Rule::OneOf { question, .. }
            | Rule::Answered { question }
            | Rule::NotAnswered { question } => question,
        }
    }

    fn values(&self) -> Vec<&str> {
        match self {
            Rule::Equals { value, .. } => vec![value.as_str()],
            Rule::OneOf { values, .. } => values.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

impl SurveyDefinition {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// Every text of the survey, for the "translation missing" check.
    fn texts(&self) -> Vec<&Text> {
        let mut texts = Vec::new();
        for section in &self.sections {
            texts.push(&section.title);
            for q in &section.questions {
                texts.push(&q.text);
                texts.push(&q.help);
                match &q.kind {
                    QuestionKind::SingleChoice { options, .. }
                    | QuestionKind::MultipleChoice { options, .. } => {
                        texts.extend(options.iter().map(|o| &o.text));
                    }
                    QuestionKind::Rating { labels, .. } => texts.extend(labels.iter()),
                    QuestionKind::Number { unit, .. } => texts.push(unit),
                    QuestionKind::Matrix { statements, scale } => {
                        texts.extend(statements.iter().chain(scale.iter()).map(|o| &o.text));
                    }
                    QuestionKind::YesNo | QuestionKind::FreeText { .. } | QuestionKind::Date => {}
                }
            }
        }
        texts
    }

    /// How many texts have German but no English (the answering page shows German there).
    pub fn missing_translations(&self) -> usize {
        self.texts().iter().filter(|t| t.lacks_english()).count()
    }

    /// Everything wrong with the definition, as field errors with JSON-path-like fields
    /// (`definition.sections[0].questions[2].kind.options`). Empty when it is valid.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Errors::default();
        if self.sections.is_empty() {
            errors.push("definition.sections", "required");
        }
        let total = self.questions().count();
        if total == 0 && !self.sections.is_empty() {
            errors.push("definition.sections", "no_questions");
        }
        if total > MAX_QUESTIONS {
            errors.push("definition.sections", "too_many_questions");
        }
        let mut section_ids = BTreeSet::new();
        // Position of each question id in answering order, for "refers to a later question".
        let mut seen: HashMap<&str, &Question> = HashMap::new();
        let all_ids: BTreeSet<&str> = self.questions().map(|q| q.id.as_str()).collect();
        for (s, section) in self.sections.iter().enumerate() {
            let path = format!("definition.sections[{s}]");
            key_problem(&mut errors, &format!("{path}.id"), &section.id);
            if !section_ids.insert(section.id.as_str()) {
                errors.push(&format!("{path}.id"), "duplicate");
            }
            text_problem(&mut errors, &format!("{path}.title"), &section.title, true);
            for (i, q) in section.questions.iter().enumerate() {
                let path = format!("{path}.questions[{i}]");
                key_problem(&mut errors, &format!("{path}.id"), &q.id);
                if seen.contains_key(q.id.as_str()) {
                    errors.push(&format!("{path}.id"), "duplicate");
                }
                text_problem(&mut errors, &format!("{path}.text"), &q.text, true);
                text_problem(&mut errors, &format!("{path}.help"), &q.help, false);
                kind_problems(&mut errors, &format!("{path}.kind"), &q.kind);
                need_problems(&mut errors, &path, q);
                if let Some(show_if) = &q.show_if {
                    let path = format!("{path}.show_if");
                    if show_if.rules.is_empty() {
                        errors.push(&format!("{path}.rules"), "required");
                    }
                    for (r, rule) in show_if.rules.iter().enumerate() {
                        let path = format!("{path}.rules[{r}]");
                        let target = rule.question();
                        match seen.get(target) {
                            Some(earlier) => {
                                let allowed = earlier.kind.condition_values();
                                let values = rule.values();
                                if matches!(rule, Rule::Equals { .. } | Rule::OneOf { .. }) {
                                    if values.is_empty() {
                                        errors.push(&format!("{path}.values"), "required");
                                    }
                                    if allowed.is_empty() {
                                        errors.push(&path, "not_comparable");
                                    } else if values.iter().any(|v| !allowed.iter().any(|a| a == v))
                                    {
                                        errors.push(&format!("{path}.values"), "unknown_option");
                                    }
                                }
                            }
                            None if target == q.id => errors.push(&path, "cycle"),
                            None if all_ids.contains(target) => {
                                errors.push(&path, "refers_to_later_question")
                            }
                            None => errors.push(&path, "unknown_question"),
                        }
                    }
                }
                seen.insert(q.id.as_str(), q);
            }
        }
        errors.0
    }
}

/// A need belongs on a yes/no question or on the options of a choice question.
fn need_problems(errors: &mut Errors, path: &str, q: &Question) {
    if q.need.is_some() && !matches!(q.kind, QuestionKind::YesNo) {
        errors.push(&format!("{path}.need"), "need_requires_yes_no");
    }
    if let QuestionKind::Matrix { statements, scale } = &q.kind {
        for (list, name) in [(statements, "statements"), (scale, "scale")] {
            for (n, c) in list.iter().enumerate() {
                if c.need.is_some() {
                    errors.push(&format!("{path}.kind.{name}[{n}].need"), "need_not_allowed");
                }
            }
        }
    }
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        });
    }
}

fn key_problem(errors: &mut Errors, field: &str, key: &str) {
    if key.is_empty() {
        errors.push(field, "required");
    } else if key.chars().count() > MAX_KEY_CHARS {
        errors.push(field, "too_long");
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(field, "invalid_key");
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

/// A manager's text: German required where `required`, both within the length limit.
pub(crate) fn text_problem_codes(text: &Text, required: bool) -> Option<&'static str> {
    if required && text.de.trim().is_empty() {
        return Some("required");
    }
    if text.de.chars().count() > MAX_TEXT_CHARS || text.en.chars().count() > MAX_TEXT_CHARS {
        return Some("too_long");
    }
    if has_control(&text.de) || has_control(&text.en) {
        return Some("control_characters");
    }
    None
}

fn text_problem(errors: &mut Errors, field: &str, text: &Text, required: bool) {
    if let Some(code) = text_problem_codes(text, required) {
        errors.push(field, code);
    }
}

fn choices_problems(errors: &mut Errors, field: &str, choices: &[Choice], min: usize) {
    if choices.len() < min {
        errors.push(field, "too_few_options");
    }
    if choices.len() > MAX_OPTIONS {
        errors.push(field, "too_many_options");
    }
    let mut ids = BTreeSet::new();
    for (i, c) in choices.iter().enumerate() {
        key_problem(errors, &format!("{field}[{i}].id"), &c.id);
        if c.id == OTHER {
            errors.push(&format!("{field}[{i}].id"), "reserved");
        }
        if !ids.insert(c.id.as_str()) {
            errors.push(&format!("{field}[{i}].id"), "duplicate");
        }
        text_problem(errors, &format!("{field}[{i}].text"), &c.text, true);
    }
}

fn kind_problems(errors: &mut Errors, path: &str, kind: &QuestionKind) {
    match kind {
        QuestionKind::SingleChoice { options, .. } => {
            choices_problems(errors, &format!("{path}.options"), options, 2);
        }
        QuestionKind::MultipleChoice {
            options,
            other,
            min,
            max,
        } => {
            choices_problems(errors, &format!("{path}.options"), options, 2);
            let available = options.len() as u32 + u32::from(*other);
            if min.is_some_and(|m| m == 0 || m > available) {
                errors.push(&format!("{path}.min"), "out_of_range");
            }
            if max.is_some_and(|m| m == 0 || m > available || min.is_some_and(|n| m < n)) {
                errors.push(&format!("{path}.max"), "out_of_range");
            }
        }
        QuestionKind::Rating { labels, .. } => {
            if labels.len() != 5 {
                errors.push(&format!("{path}.labels"), "five_labels");
            }
            for (i, l) in labels.iter().enumerate() {
                text_problem(errors, &format!("{path}.labels[{i}]"), l, true);
            }
        }
        QuestionKind::Number { min, max, unit, .. } => {
            if min.is_some_and(|m| !m.is_finite()) {
                errors.push(&format!("{path}.min"), "out_of_range");
            }
            if max.is_some_and(|m| !m.is_finite()) {
                errors.push(&format!("{path}.max"), "out_of_range");
            }
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                errors.push(&format!("{path}.max"), "less_than_min");
            }
            text_problem(errors, &format!("{path}.unit"), unit, false);
        }
        QuestionKind::FreeText { max_length } => {
            if *max_length == 0 || *max_length > MAX_FREE_TEXT {
                errors.push(&format!("{path}.max_length"), "out_of_range");
            }
        }
        QuestionKind::Matrix { statements, scale } => {
            choices_problems(errors, &format!("{path}.statements"), statements, 1);
            choices_problems(errors, &format!("{path}.scale"), scale, 2);
        }
        QuestionKind::YesNo | QuestionKind::Date => {}
    }
}
