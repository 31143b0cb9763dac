use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-cased.
    #[sea_orm(unique)]
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub display_name: String,
    /// `de` or `en`.
    pub language: String,
    /// `normal`, `large` or `extra_large`.
    pub text_size: String,
    pub home_quarter_id: Option<Uuid>,
    pub age_band: Option<String>,
    pub phone: Option<String>,
    /// Version of the privacy notice the user agreed to, and when.
    pub consent_version: String,
    pub consent_at: TimeDateTimeWithTimeZone,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::role_grant::Entity")]
    RoleGrant,
}

impl Related<super::role_grant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RoleGrant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Written out so the password hash never reaches a log line or a panic message.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("password_hash", &"[redacted]")
            .field("display_name", &self.display_name)
            .field("language", &self.language)
            .field("text_size", &self.text_size)
            .field("home_quarter_id", &self.home_quarter_id)
            .field("age_band", &self.age_band)
            .field("phone", &self.phone)
            .field("consent_version", &self.consent_version)
            .field("consent_at", &self.consent_at)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}
