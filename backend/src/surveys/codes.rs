//! Single-use access codes for letters: generated per quarter, shown once (stored
//! hashed), with a QR code and a CSV for the mail merge.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use shared::surveys::{
    AccessCodeDto, AccessCodeLookupDto, CodeCountsDto, GenerateCodesRequest, GeneratedCodesDto,
    MAX_CODES_PER_REQUEST, SurveyStatus,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::stored::for_staff;
use super::stored::load;
use crate::auth::AuthUser;
use crate::crypto::{normalise_code, readable_code, token_hash};
use crate::entities::access_code;
use crate::error::ApiError;
use crate::startup::AppState;

/// Characters in a code: 25^8 ≈ 1.5 × 10^11 codes, shown as `ABCD-EFGH`.
const CODE_LEN: usize = 8;

fn display(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..])
}

/// An SVG QR code of `text`, with a quiet zone, scalable on paper.
fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .build())
}

fn csv(quarter_id: Uuid, codes: &[AccessCodeDto]) -> Result<String, ApiError> {
    // Semicolons: what German spreadsheet programs and mail merges expect.
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(anyhow::Error::new(e).context("writing CSV"));
    writer
        .write_record(["code", "url", "quarter_id"])
        .map_err(fail)?;
    for c in codes {
        writer
            .write_record([c.code.as_str(), c.url.as_str(), &quarter_id.to_string()])
            .map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ApiError::Internal(anyhow::Error::new(e)))
}

/// Generates `count` codes for one of the survey's quarters. `base_url` is where the
/// server is reached (`https://quartier.example.org`).
pub async fn generate(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
    req: GenerateCodesRequest,
    base_url: &str,
) -> Result<GeneratedCodesDto, ApiError> {
    if req.count == 0 || req.count > MAX_CODES_PER_REQUEST {
        return Err(ApiError::field("count", "out_of_range"));
    }
    let view = for_staff(state, me, survey_id).await?;
    if !view.quarters.contains(&req.quarter_id) {
        return Err(ApiError::field("quarter_id", "unknown_quarter"));
    }
    if !view.survey.access().codes {
        return Err(ApiError::Conflict(
            "The survey does not use access codes; turn them on first.".into(),
        ));
    }
    let now = OffsetDateTime::now_utc();
    let codes: Vec<String> = (0..req.count).map(|_| readable_code(CODE_LEN)).collect();
    let txn = state.db.begin_write().await?;
    // A collision with an existing code (1 in 10^11 per pair) fails the unique index and
    // the whole request with 409; trying again draws new codes.
    for chunk in codes.chunks(500) {
        access_code::Entity::insert_many(chunk.iter().map(|code| access_code::ActiveModel {
            id: Set(Uuid::now_v7()),
            survey_id: Set(survey_id),
            quarter_id: Set(req.quarter_id),
            code_hash: Set(token_hash(code)),
            redeemed_at: Set(None),
            created_by: Set(Some(me.id())),
            created_at: Set(now),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    let base = base_url.trim_end_matches('/');
    let codes = codes
        .iter()
        .map(|code| {
            let shown = display(code);
            let url = format!("{base}/s/{survey_id}?code={shown}");
            Ok(AccessCodeDto {
                qr_svg: qr_svg(&url)?,
                code: shown,
                url,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(GeneratedCodesDto {
        quarter_id: req.quarter_id,
        csv: csv(req.quarter_id, &codes)?,
        codes,
    })
}

/// Generated and redeemed codes per quarter (of the quarters this person sees).
pub async fn counts(
    state: &AppState,
    me: &AuthUser,
    survey_id: Uuid,
) -> Result<Vec<CodeCountsDto>, ApiError> {
    let view = for_staff(state, me, survey_id).await?;
    let rows: Vec<(Uuid, i64, i64)> = access_code::Entity::find()
        .select_only()
        .column(access_code::Column::QuarterId)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "generated")
        .column_as(Expr::cust("CAST(COUNT(redeemed_at) AS BIGINT)"), "redeemed")
        .filter(access_code::Column::SurveyId.eq(survey_id))
        .filter(access_code::Column::QuarterId.is_in(view.quarters.iter().copied()))
        .group_by(access_code::Column::QuarterId)
        .into_tuple()
        .all(state.db.conn())
        .await?;
    Ok(view
        .quarters
        .iter()
        .map(|q| {
            let (generated, redeemed) = rows
                .iter()
                .find(|r| r.0 == *q)
                .map(|r| (r.1, r.2))
                .unwrap_or((0, 0));
            CodeCountsDto {
                quarter_id: *q,
                generated: u64::try_from(generated).unwrap_or(0),
                redeemed: u64::try_from(redeemed).unwrap_or(0),
            }
        })
        .collect())
}

/// The survey a typed code belongs to. Unknown codes, and codes of surveys nobody can
/// answer (drafts, archived), are not found. Codes are 25^8 strong and the answer
/// redeems nothing, so guessing finds nothing in practice.
pub async fn lookup(state: &AppState, code: &str) -> Result<AccessCodeLookupDto, ApiError> {
    let code = normalise_code(code);
    if code.chars().count() != CODE_LEN {
        return Err(ApiError::NotFound);
    }
    let row = access_code::Entity::find()
        .filter(access_code::Column::CodeHash.eq(token_hash(&code)))
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let survey = load(state.db.conn(), row.survey_id).await?;
    if !matches!(
        survey.stored_status(),
        SurveyStatus::Open | SurveyStatus::Closed
    ) {
        return Err(ApiError::NotFound);
    }
    Ok(AccessCodeLookupDto {
        survey_id: row.survey_id,
        code: display(&code),
        redeemed: row.redeemed_at.is_some(),
    })
}
