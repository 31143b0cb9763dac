use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: Uuid,
    /// Question key; `#day` counts responses per day, `q.statement` a matrix row.
    #[sea_orm(primary_key, auto_increment = false)]
    pub question: String,
    /// Option key, rating `1`–`5`, `yes`/`no`, the day, or `''`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub choice: String,
    /// Quarter id as text, or `''`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub quarter_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub age_band: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    pub n: i64,
    /// Sum of numeric answers.
    pub total: f64,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
