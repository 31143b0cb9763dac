use sea_orm::entity::prelude::*;

/// A volunteer's offer of help (one per volunteer).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// JSON array of `shared::help::HelpCategory`.
    pub categories: String,
    /// JSON array of `shared::help::AvailabilitySlot`.
    pub availability: String,
    pub max_tasks_per_week: i16,
    pub paused: bool,
    pub about: String,
    pub verified_at: Option<TimeDateTimeWithTimeZone>,
    pub verified_by: Option<Uuid>,
    /// `YYYY-MM-DD`.
    pub certificate_seen_on: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
