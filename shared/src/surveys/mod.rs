//! Participatory surveys: authoring, access, answering and results.

mod answers;
mod definition;
pub mod template;
mod wire;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

pub use answers::{Answer, Answers, MAX_OTHER_CHARS, is_iso_date};
pub use definition::{
    Choice, Combine, MAX_FREE_TEXT, MAX_KEY_CHARS, MAX_OPTIONS, MAX_QUESTIONS, MAX_TEXT_CHARS,
    OTHER, Question, QuestionKind, RatingStyle, Rule, Section, ShowIf, SurveyDefinition, Text,
};

use crate::FieldError;
use crate::accounts::AgeBand;

/// Groups smaller than this are never shown as a number (small-group suppression).
pub const MIN_GROUP: u64 = 5;
/// Most access codes generated at once.
pub const MAX_CODES_PER_REQUEST: u32 = 500;

/// draft → open → closed → archived. An open survey past its closing time is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
    Archived,
}

impl SurveyStatus {
    pub const ALL: [SurveyStatus; 4] = [
        SurveyStatus::Draft,
        SurveyStatus::Open,
        SurveyStatus::Closed,
        SurveyStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
            SurveyStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<SurveyStatus> {
        SurveyStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a manager may move a survey from `self` to `to`.
    pub fn can_become(self, to: SurveyStatus) -> bool {
        use SurveyStatus::*;
        matches!(
            (self, to),
            (Draft, Open) | (Open, Closed) | (Closed, Open) | (Closed, Archived)
        )
    }
}

/// How a response reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Answered by the person in the web app.
    Online,
    /// Typed in by a manager from a paper questionnaire.
    Paper,
    /// Asked on the telephone by a manager.
    Phone,
    /// Answered with a helper beside the person.
    Assisted,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Online,
        Channel::Paper,
        Channel::Phone,
        Channel::Assisted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Phone => "phone",
            Channel::Assisted => "assisted",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Who may answer. Any combination; at least one when the survey opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyAccess {
    /// Anyone with the link.
    #[serde(default)]
    pub public_link: bool,
    /// Single-use codes printed on letters.
    #[serde(default)]
    pub codes: bool,
    /// Signed-in residents of the target quarters, once each.
    #[serde(default)]
    pub signed_in: bool,
}

/// Create or replace a survey (`POST /surveys`, `PUT /surveys/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyRequest {
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    /// Target quarters, all of one organisation.
    pub quarter_ids: Vec<Uuid>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<OffsetDateTime>,
    /// Anonymous: a stored response holds no account, code or exact time.
    #[serde(default = "yes")]
    pub anonymous: bool,
    pub access: SurveyAccess,
    /// Ask for quarter and age band at the start (optional for the person).
    #[serde(default = "yes")]
    pub profile_questions: bool,
    pub definition: SurveyDefinition,
}

fn yes() -> bool {
    true
}

impl SurveyRequest {
    /// Everything wrong with the request that needs no database to know.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = self.definition.problems();
        let mut push = |field: &str, code: &str| {
            errors.push(FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
            })
        };
        if let Some(code) = definition::text_problem_codes(&self.title, true) {
            push("title", code);
        }
        if let Some(code) = definition::text_problem_codes(&self.intro, false) {
            push("intro", code);
        }
        if self.quarter_ids.is_empty() {
            push("quarter_ids", "required");
        }
        if let (Some(opens), Some(closes)) = (self.opens_at, self.closes_at)
            && closes <= opens
        {
            push("closes_at", "before_opening");
        }
        errors
    }
}

/// A survey as its managers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDto {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub title: Text,
    pub intro: Text,
    pub quarter_ids: Vec<Uuid>,
    /// The effective status: an open survey past `closes_at` is `closed`.
    pub status: SurveyStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<OffsetDateTime>,
    pub anonymous: bool,
    pub access: SurveyAccess,
    pub profile_questions: bool,
    pub definition: SurveyDefinition,
    /// Raised by every change of the definition after the survey first opened.
    pub version: u32,
    pub responses: u64,
    /// Texts with German but no English: English readers will see German there.
    pub missing_translations: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
}

/// A line in the managers' survey list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummaryDto {
    pub id: Uuid,
    pub title: Text,
    pub status: SurveyStatus,
    pub quarter_ids: Vec<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<OffsetDateTime>,
    pub responses: u64,
}

/// `GET /me/surveys`: an open survey for the signed-in person's home quarter, for
/// their start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySurveyDto {
    pub id: Uuid,
    pub title: Text,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<OffsetDateTime>,
    /// They took part already (signed in, or in an identified survey).
    pub answered: bool,
    /// Only with the access code from a letter: no link or sign-in opens it.
    pub needs_code: bool,
}

/// `POST /surveys/{id}/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyStatusRequest {
    pub status: SurveyStatus,
}

/// A quarter a respondent may say they live in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterChoiceDto {
    pub id: Uuid,
    pub name: String,
}

/// What the answering page needs (`GET /public/surveys/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSurveyDto {
    pub id: Uuid,
    pub title: Text,
    pub intro: Text,
    pub version: u32,
    /// `open`, or `closed` (the page then says so).
    pub status: SurveyStatus,
    pub anonymous: bool,
    pub access: SurveyAccess,
    pub profile_questions: bool,
    pub quarters: Vec<QuarterChoiceDto>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closes_at: Option<OffsetDateTime>,
    pub definition: SurveyDefinition,
}

/// Optional questions about the respondent that make group statistics possible.
/// A JSON object only (`[null, null]` is refused).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(remote = "Self")]
pub struct RespondentProfile {
    #[serde(default)]
    pub quarter_id: Option<Uuid>,
    #[serde(default)]
    pub age_band: Option<AgeBand>,
}

object_only!(RespondentProfile);

/// A response (`POST /public/surveys/{id}/responses`). `id` is made by the client once
/// per response (a random UUID v4) and sent again on every retry: the response is
/// stored once, and a retry gets the first result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitResponseRequest {
    pub id: Uuid,
    /// The survey version the person answered.
    pub version: u32,
    pub answers: Answers,
    #[serde(default)]
    pub profile: RespondentProfile,
    /// The access code from the letter, when the survey uses codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A paper or telephone response typed in by a manager (`POST /surveys/{id}/responses`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnteredResponseRequest {
    pub id: Uuid,
    pub channel: Channel,
    pub answers: Answers,
    #[serde(default)]
    pub profile: RespondentProfile,
}

/// The result of a submission. 201 when stored now, 200 (with `duplicate`) for a retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmittedDto {
    pub id: Uuid,
    pub duplicate: bool,
}

/// A signed-in person's unfinished answers (`PUT /public/surveys/{id}/draft`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDraftDto {
    pub answers: Answers,
    #[serde(default)]
    pub profile: RespondentProfile,
    /// The screen the person was on. At most what the database column holds (a signed
    /// 32-bit integer); larger is refused, never stored cut down.
    #[cfg_attr(feature = "openapi", schema(maximum = 2_147_483_647))]
    pub position: u32,
}

/// `POST /surveys/{id}/codes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerateCodesRequest {
    pub quarter_id: Uuid,
    /// 1 to 500.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub count: u32,
}

/// One generated code for a letter. Codes are stored hashed: this is the only time
/// they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessCodeDto {
    /// `ABCD-EFGH`.
    pub code: String,
    /// The answering page with the code filled in.
    pub url: String,
    /// A QR code of `url`, as an SVG document.
    pub qr_svg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeneratedCodesDto {
    pub quarter_id: Uuid,
    pub codes: Vec<AccessCodeDto>,
    /// The same codes as CSV for a mail merge (`code;url;quarter`).
    pub csv: String,
}

/// What a letter's access code opens (`GET /public/access-codes/{code}`), so a
/// person who types the code from a letter finds the survey. Does not redeem it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessCodeLookupDto {
    pub survey_id: Uuid,
    /// The code as it is printed: `ABCD-EFGH`.
    pub code: String,
    /// A response was sent with this code already.
    pub redeemed: bool,
}

/// Generated and redeemed codes of one quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeCountsDto {
    pub quarter_id: Uuid,
    pub generated: u64,
    pub redeemed: u64,
}

/// A count that is `null` when it stands for 1–4 people (small-group suppression).
pub type Count = Option<u64>;

/// Applies small-group suppression: 1–4 become `None`; 0 stays 0.
pub fn suppress(n: u64) -> Count {
    (n == 0 || n >= MIN_GROUP).then_some(n)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionCountDto {
    /// Option key, rating `1`–`5`, `yes`/`no`, or `other`.
    pub key: String,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatrixRowDto {
    pub statement: String,
    pub options: Vec<OptionCountDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NumberSummaryDto {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResultDto {
    pub question: String,
    pub kind: String,
    /// How many answered it.
    pub answered: Count,
    /// Choice, rating and yes/no questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionCountDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<MatrixRowDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<NumberSummaryDto>,
    /// Free-text answers (newest first, at most 200), only for groups of 5 or more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupCountDto {
    /// Quarter id, age band or channel; `""` for "not given".
    pub key: String,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCountDto {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub count: Count,
}

/// Results of a survey for the groups the filter selects (`GET /surveys/{id}/results`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResultsDto {
    pub survey_id: Uuid,
    pub responses: Count,
    /// True when the selected group is smaller than 5: no per-question figures then.
    pub suppressed: bool,
    pub by_quarter: Vec<GroupCountDto>,
    pub by_age_band: Vec<GroupCountDto>,
    pub by_channel: Vec<GroupCountDto>,
    pub by_day: Vec<DayCountDto>,
    pub questions: Vec<QuestionResultDto>,
}

/// Filter of `GET /surveys/{id}/results`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ResultsFilter {
    pub quarter_id: Option<Uuid>,
    pub age_band: Option<AgeBand>,
    pub channel: Option<Channel>,
}

/// A survey template managers start from (`GET /survey-templates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyTemplateDto {
    pub key: String,
    pub title: Text,
    pub intro: Text,
    pub definition: SurveyDefinition,
}

#[cfg(test)]
mod tests;
