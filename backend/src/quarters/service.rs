use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};
use shared::quarters::{Population, QuarterDto, QuarterRequest};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::entities::quarter;
use crate::error::ApiError;
use crate::startup::AppState;

/// Figures are at most `POPULATION_MAX` (= `i32::MAX`) once validated, so nothing is cut.
fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// A duplicate (organisation, name) says which rule was hit.
fn name_taken(e: sea_orm::DbErr) -> ApiError {
    match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict("A quarter with this name exists.".into()),
        other => other,
    }
}

pub fn dto(q: quarter::Model) -> QuarterDto {
    QuarterDto {
        id: q.id,
        organisation_id: q.organisation_id,
        name: q.name,
        description: q.description,
        population: Population {
            total: count(q.population_total),
            under_50: count(q.population_under50),
            from_50_to_64: count(q.population50_to64),
            from_65_to_74: count(q.population65_to74),
            from_75_to_84: count(q.population75_to84),
            from_85: count(q.population85_plus),
        },
    }
}

fn validate(req: &QuarterRequest) -> Result<(), ApiError> {
    let errors: Vec<shared::FieldError> = req
        .problems()
        .into_iter()
        .map(|(field, code)| shared::FieldError {
            field: field.into(),
            code: code.into(),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn apply(model: &mut quarter::ActiveModel, req: &QuarterRequest) {
    let p = &req.population;
    model.name = Set(req.name.trim().to_owned());
    model.description = Set(req.description.trim().to_owned());
    model.population_total = Set(clamp(p.total));
    model.population_under50 = Set(clamp(p.under_50));
    model.population50_to64 = Set(clamp(p.from_50_to_64));
    model.population65_to74 = Set(clamp(p.from_65_to_74));
    model.population75_to84 = Set(clamp(p.from_75_to_84));
    model.population85_plus = Set(clamp(p.from_85));
    model.updated_at = Set(OffsetDateTime::now_utc());
}

/// All quarters: public, so residents can pick their home quarter when signing up.
pub async fn list(state: &AppState) -> Result<Vec<QuarterDto>, ApiError> {
    let all = quarter::Entity::find()
        .order_by_asc(quarter::Column::Name)
        .all(state.db.conn())
        .await?;
    Ok(all.into_iter().map(dto).collect())
}

pub async fn get(state: &AppState, id: Uuid) -> Result<QuarterDto, ApiError> {
    quarter::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .map(dto)
        .ok_or(ApiError::NotFound)
}

/// Creates a quarter in the admin's (first) organisation. Duplicate names are a 409.
pub async fn create(
    state: &AppState,
    me: &AuthUser,
    req: QuarterRequest,
) -> Result<QuarterDto, ApiError> {
    validate(&req)?;
    let organisation_id = *me.grants.admin_of().first().ok_or(ApiError::Forbidden)?;
    let now = OffsetDateTime::now_utc();
    let mut model = quarter::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation_id),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut model, &req);
    let txn = state.db.begin_write().await?;
    let created = model.insert(&txn).await.map_err(name_taken)?;
    txn.commit().await?;
    Ok(dto(created))
}

/// Updates a quarter: its organisation's admins and its own managers may.
pub async fn update(
    state: &AppState,
    me: &AuthUser,
    id: Uuid,
    req: QuarterRequest,
) -> Result<QuarterDto, ApiError> {
    validate(&req)?;
    let txn = state.db.begin_write().await?;
    let existing = quarter::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let allowed = me.grants.is_admin_of(existing.organisation_id)
        || me.grants.managed_quarters().contains(&id);
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    let mut model = existing.into_active_model();
    apply(&mut model, &req);
    let updated = model.update(&txn).await.map_err(name_taken)?;
    txn.commit().await?;
    // The answering page shows quarters' names.
    state.surveys.forget_all();
    Ok(dto(updated))
}
