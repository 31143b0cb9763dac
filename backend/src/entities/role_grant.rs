use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub role: GrantRole,
    pub organisation_id: Option<Uuid>,
    pub quarter_id: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
}

/// `shared::Role` as the column stores it. A value that is none of these fails the
/// read of the row (an error, never a role by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum GrantRole {
    #[sea_orm(string_value = "resident")]
    Resident,
    #[sea_orm(string_value = "volunteer")]
    Volunteer,
    #[sea_orm(string_value = "manager")]
    Manager,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl From<shared::Role> for GrantRole {
    fn from(role: shared::Role) -> Self {
        match role {
            shared::Role::Resident => GrantRole::Resident,
            shared::Role::Volunteer => GrantRole::Volunteer,
            shared::Role::Manager => GrantRole::Manager,
            shared::Role::Admin => GrantRole::Admin,
        }
    }
}

impl From<GrantRole> for shared::Role {
    fn from(role: GrantRole) -> Self {
        match role {
            GrantRole::Resident => shared::Role::Resident,
            GrantRole::Volunteer => shared::Role::Volunteer,
            GrantRole::Manager => shared::Role::Manager,
            GrantRole::Admin => shared::Role::Admin,
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
