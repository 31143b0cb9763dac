use sea_orm::entity::prelude::*;

/// An organisation's contact details (at most one row per organisation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    pub office_name: String,
    pub street: String,
    pub address_extra: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: Option<String>,
    pub opening_hours_de: String,
    pub opening_hours_en: String,
    pub legal_notice: String,
    pub legal_notice_url: Option<String>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
