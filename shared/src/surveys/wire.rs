//! Reading the internally tagged enums (`QuestionKind`, `Rule`, `Answer`) without
//! serde's buffering.
//!
//! For `#[serde(tag = "…")]` serde's derive first reads the whole object into an
//! untyped buffer (`Content`), then reads the variant again from that buffer: every
//! type inside is compiled twice, once for JSON and once for the buffer, plus the
//! buffer's own code. In the web app that was ~8 KB (brotli) of the answering page's
//! download. Here each enum is read as one flat object (the tag and every field any
//! variant has, all optional) straight from the JSON, then checked into its variant
//! (`#[serde(try_from = …)]`). The JSON is the same as before, written by the
//! unchanged `Serialize` derives; a field of the wrong variant is ignored, as before,
//! as long as it has its own type.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::answers::Answer;
use super::definition::{Choice, QuestionKind, RatingStyle, Rule, Text};

/// Why a tagged object is not one of its variants: serde's own words for it.
#[derive(Debug)]
pub struct WireError(String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn missing(field: &str) -> WireError {
    WireError(format!("missing field `{field}`"))
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, WireError> {
    value.ok_or_else(|| missing(field))
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    SingleChoice,
    MultipleChoice,
    Rating,
    YesNo,
    Number,
    FreeText,
    Date,
    Matrix,
}

/// Every field of every `QuestionKind`. `min`/`max` are whole counts for multiple
/// choice and any number for a number question, so they are read as numbers.
#[derive(Deserialize)]
pub struct KindWire {
    #[serde(rename = "type")]
    kind: KindTag,
    options: Option<Vec<Choice>>,
    other: Option<bool>,
    min: Option<f64>,
    max: Option<f64>,
    style: Option<RatingStyle>,
    labels: Option<Vec<Text>>,
    integer: Option<bool>,
    unit: Option<Text>,
    max_length: Option<u32>,
    statements: Option<Vec<Choice>>,
    scale: Option<Vec<Choice>>,
}

fn count(value: Option<f64>, field: &str) -> Result<Option<u32>, WireError> {
    match value {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Ok(Some(n as u32))
        }
        Some(_) => Err(WireError(format!(
            "invalid value for `{field}`, expected u32"
        ))),
    }
}

impl TryFrom<KindWire> for QuestionKind {
    type Error = WireError;

    fn try_from(w: KindWire) -> Result<Self, WireError> {
        Ok(match w.kind {
            KindTag::SingleChoice => QuestionKind::SingleChoice {
                options: required(w.options, "options")?,
                other: w.other.unwrap_or_default(),
            },
            KindTag::MultipleChoice => QuestionKind::MultipleChoice {
                options: required(w.options, "options")?,
                other: w.other.unwrap_or_default(),
                min: count(w.min, "min")?,
                max: count(w.max, "max")?,
            },
            KindTag::Rating => QuestionKind::Rating {
                style: required(w.style, "style")?,
                labels: required(w.labels, "labels")?,
            },
            KindTag::YesNo => QuestionKind::YesNo,
            KindTag::Number => QuestionKind::Number {
                min: w.min,
                max: w.max,
                integer: w.integer.unwrap_or_default(),
                unit: w.unit.unwrap_or_default(),
            },
            KindTag::FreeText => QuestionKind::FreeText {
                max_length: required(w.max_length, "max_length")?,
            },
            KindTag::Date => QuestionKind::Date,
            KindTag::Matrix => QuestionKind::Matrix {
                statements: required(w.statements, "statements")?,
                scale: required(w.scale, "scale")?,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RuleOp {
    Equals,
    OneOf,
    Answered,
    NotAnswered,
}

/// Every field of every `Rule`.
#[derive(Deserialize)]
pub struct RuleWire {
    op: RuleOp,
    question: Option<String>,
    value: Option<String>,
    values: Option<Vec<String>>,
}

impl TryFrom<RuleWire> for Rule {
    type Error = WireError;

    fn try_from(w: RuleWire) -> Result<Self, WireError> {
        let question = required(w.question, "question")?;
        Ok(match w.op {
            RuleOp::Equals => Rule::Equals {
                question,
                value: required(w.value, "value")?,
            },
            RuleOp::OneOf => Rule::OneOf {
                question,
                values: required(w.values, "values")?,
            },
            RuleOp::Answered => Rule::Answered { question },
            RuleOp::NotAnswered => Rule::NotAnswered { question },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AnswerTag {
    Choice,
    Choices,
    Rating,
    YesNo,
    Number,
    Text,
    Date,
    Matrix,
}

/// Every field of every `Answer`. `value` is a rating, yes/no, a number or a text,
/// by the tag; it is read as whatever the JSON holds and checked against the tag.
#[derive(Deserialize)]
pub struct AnswerWire {
    #[serde(rename = "type")]
    kind: AnswerTag,
    option: Option<String>,
    options: Option<Vec<String>>,
    other_text: Option<String>,
    value: Option<Scalar>,
    rows: Option<BTreeMap<String, String>>,
}

impl TryFrom<AnswerWire> for Answer {
    type Error = WireError;

    fn try_from(w: AnswerWire) -> Result<Self, WireError> {
        let wrong =
            |expected: &str| WireError(format!("invalid type for `value`, expected {expected}"));
        Ok(match w.kind {
            AnswerTag::Choice => Answer::Choice {
                option: required(w.option, "option")?,
                other_text: w.other_text,
            },
            AnswerTag::Choices => Answer::Choices {
                options: required(w.options, "options")?,
                other_text: w.other_text,
            },
            AnswerTag::Rating => match required(w.value, "value")? {
                Scalar::Unsigned(n) => Answer::Rating {
                    value: u8::try_from(n).map_err(|_| wrong("u8"))?,
                },
                _ => return Err(wrong("u8")),
            },
            AnswerTag::YesNo => match required(w.value, "value")? {
                Scalar::Bool(value) => Answer::YesNo { value },
                _ => return Err(wrong("a boolean")),
            },
            AnswerTag::Number => match required(w.value, "value")? {
                Scalar::Unsigned(n) => Answer::Number { value: n as f64 },
                Scalar::Signed(n) => Answer::Number { value: n as f64 },
                Scalar::Float(value) => Answer::Number { value },
                _ => return Err(wrong("f64")),
            },
            AnswerTag::Text => match required(w.value, "value")? {
                Scalar::Str(value) => Answer::Text { value },
                _ => return Err(wrong("a string")),
            },
            AnswerTag::Date => match required(w.value, "value")? {
                Scalar::Str(value) => Answer::Date { value },
                _ => return Err(wrong("a string")),
            },
            AnswerTag::Matrix => Answer::Matrix {
                rows: required(w.rows, "rows")?,
            },
        })
    }
}

/// A JSON scalar as it came: what `Answer`'s `value` may be.
enum Scalar {
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, a number or a string")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Signed(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
}
