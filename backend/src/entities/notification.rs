use sea_orm::entity::prelude::*;

/// A person told of a step of a help request (see `help::notify`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub request_id: Uuid,
    /// A `shared::help::HelpEvent` key.
    pub event: String,
    /// `resident`, `volunteer` or `staff`: which page the person is sent to.
    pub audience: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub read_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
