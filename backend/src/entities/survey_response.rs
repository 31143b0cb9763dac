use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_responses")]
pub struct Model {
    /// The client's idempotency key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub survey_id: Uuid,
    pub version: i32,
    /// `online`, `paper`, `phone` or `assisted`.
    pub channel: String,
    pub quarter_id: Option<Uuid>,
    pub age_band: Option<String>,
    /// Only in identified surveys.
    pub user_id: Option<Uuid>,
    /// The manager who typed in a paper or telephone response.
    pub entered_by: Option<Uuid>,
    pub answers: Json,
    /// Day-coarsened (midnight UTC) in anonymous surveys.
    pub submitted_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
