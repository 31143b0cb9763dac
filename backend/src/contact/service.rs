use std::collections::HashSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use shared::FieldError;
use shared::contact::{OfficeContactDto, OfficeContactRequest, tel_uri};
use shared::surveys::Text;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Access};
use crate::auth::AuthUser;
use crate::entities::{organisation, organisation_contact, quarter};
use crate::error::ApiError;
use crate::startup::AppState;

fn dto(
    org: &organisation::Model,
    contact: Option<organisation_contact::Model>,
) -> OfficeContactDto {
    let Some(c) = contact else {
        return OfficeContactDto {
            organisation_id: org.id,
            office_name: org.name.clone(),
            street: String::new(),
            address_extra: String::new(),
            postcode: String::new(),
            city: String::new(),
            phone: String::new(),
            phone_uri: None,
            email: None,
            opening_hours: Text::default(),
            legal_notice: String::new(),
            legal_notice_url: None,
        };
    };
    OfficeContactDto {
        organisation_id: org.id,
        phone_uri: tel_uri(&c.phone),
        office_name: c.office_name,
        street: c.street,
        address_extra: c.address_extra,
        postcode: c.postcode,
        city: c.city,
        phone: c.phone,
        email: c.email,
        opening_hours: Text {
            de: c.opening_hours_de,
            en: c.opening_hours_en,
        },
        legal_notice: c.legal_notice,
        legal_notice_url: c.legal_notice_url,
    }
}

/// The organisations a signed-in person belongs to: those of their grants, of the
/// quarters they manage and of their home quarter.
async fn own_organisations(state: &AppState, me: &AuthUser) -> Result<HashSet<Uuid>, ApiError> {
    let mut own: HashSet<Uuid> = me
        .grants
        .0
        .iter()
        .filter_map(|g| g.organisation_id)
        .collect();
    let quarters: Vec<Uuid> = me
        .grants
        .managed_quarters()
        .into_iter()
        .chain(me.user.home_quarter_id)
        .collect();
    if !quarters.is_empty() {
        let found = quarter::Entity::find()
            .filter(quarter::Column::Id.is_in(quarters))
            .all(state.db.conn())
            .await?;
        own.extend(found.into_iter().map(|q| q.organisation_id));
    }
    Ok(own)
}

/// Every organisation's office, oldest organisation first; for a signed-in person only
/// their own organisations' when they have any.
pub async fn list(
    state: &AppState,
    me: Option<&AuthUser>,
) -> Result<Vec<OfficeContactDto>, ApiError> {
    let own = match me {
        Some(me) => own_organisations(state, me).await?,
        None => HashSet::new(),
    };
    let rows = organisation::Entity::find()
        .find_also_related(organisation_contact::Entity)
        .order_by_asc(organisation::Column::CreatedAt)
        .order_by_asc(organisation::Column::Name)
        .all(state.db.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter(|(org, _)| own.is_empty() || own.contains(&org.id))
        .map(|(org, contact)| dto(&org, contact))
        .collect())
}

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

fn optional(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Replaces the contact details of `organisation_id`; only its admins may. Nothing is
/// stored unless every field is valid; the change and its audit entry commit together.
pub async fn update(
    state: &AppState,
    me: &AuthUser,
    organisation_id: Uuid,
    req: OfficeContactRequest,
) -> Result<OfficeContactDto, ApiError> {
    if !me.grants.is_admin_of(organisation_id) {
        return Err(ApiError::Forbidden);
    }
    let problems = req.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(
            problems
                .into_iter()
                .map(|(field, code)| FieldError {
                    field: field.into(),
                    code: code.into(),
                })
                .collect(),
        ));
    }
    let txn = state.db.begin_write().await?;
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let existing = organisation_contact::Entity::find_by_id(organisation_id)
        .one(&txn)
        .await?;
    let is_new = existing.is_none();
    let mut model = match existing {
        Some(row) => row.into_active_model(),
        None => organisation_contact::ActiveModel {
            organisation_id: Set(organisation_id),
            ..Default::default()
        },
    };
    model.office_name = Set(trimmed(&req.office_name));
    model.street = Set(trimmed(&req.street));
    model.address_extra = Set(trimmed(&req.address_extra));
    model.postcode = Set(trimmed(&req.postcode));
    model.city = Set(trimmed(&req.city));
    model.phone = Set(trimmed(&req.phone));
    model.email = Set(optional(req.email.as_deref()));
    model.opening_hours_de = Set(trimmed(&req.opening_hours.de));
    model.opening_hours_en = Set(trimmed(&req.opening_hours.en));
    model.legal_notice = Set(trimmed(&req.legal_notice));
    model.legal_notice_url = Set(optional(req.legal_notice_url.as_deref()));
    model.updated_at = Set(OffsetDateTime::now_utc());
    let saved = if is_new {
        model.insert(&txn).await?
    } else {
        model.update(&txn).await?
    };
    audit::record(
        &txn,
        me,
        Access {
            action: "organisation.contact.update",
            organisation_id: Some(organisation_id),
            subject_user_id: None,
            quarter_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(dto(&org, Some(saved)))
}
