use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// `shared::surveys::Text` as JSON.
    pub title: Json,
    pub intro: Json,
    /// `draft`, `open`, `closed` or `archived`.
    pub status: String,
    pub opens_at: Option<TimeDateTimeWithTimeZone>,
    pub closes_at: Option<TimeDateTimeWithTimeZone>,
    pub anonymous: bool,
    pub access_public: bool,
    pub access_codes: bool,
    pub access_signed_in: bool,
    pub profile_questions: bool,
    pub version: i32,
    /// `shared::surveys::SurveyDefinition` of the current version, as JSON.
    pub definition: Json,
    pub created_by: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
