use sea_orm::entity::prelude::*;

/// All answer counters of one group of a survey's responses (see `surveys::counters`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: Uuid,
    /// Quarter id as text, or `''`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub quarter_key: String,
    /// Age band, or `''`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub age_band: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    /// Responses counted in this group.
    pub responses: i64,
    /// The counters as JSON: `{question: {choice: [n, total, min, max]}}`.
    pub counts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
