use sea_orm::entity::prelude::*;

/// A request for help (see `help::requests`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "help_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub quarter_id: Uuid,
    /// The resident who asked, or `None` for a phoned request of someone without an account.
    pub resident_id: Option<Uuid>,
    /// Who typed it in (the resident, or a manager).
    pub created_by: Option<Uuid>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub category: String,
    pub details: String,
    /// JSON `shared::help::HelpWindow`.
    pub window: String,
    /// `YYYY-MM-DD`.
    pub last_day: String,
    pub urgency: String,
    pub accessibility: String,
    pub status: String,
    pub volunteer_id: Option<Uuid>,
    pub done_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// When the quarter's managers were told nobody has taken it yet.
    pub flagged_at: Option<TimeDateTimeWithTimeZone>,
    /// The first week's id of a recurring request.
    pub series_id: Option<Uuid>,
    /// The week of the series, from 1.
    pub series_week: Option<i16>,
    pub series_weeks: Option<i16>,
    /// The identified survey this need was said in (never an anonymous one).
    pub from_survey_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
