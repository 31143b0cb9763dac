//! Quartier's database schema. Every migration runs on SQLite and PostgreSQL;
//! the server applies pending ones at start (`quartier migrate` does it alone).

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_accounts;
mod m20261125_000002_sessions;
mod m20261130_000003_surveys;
mod m20261130_000004_survey_tallies;
mod m20261130_000005_help_offers;
mod m20261130_000006_help_requests;
mod m20261201_000007_help_notifications;
mod m20261201_000008_org_contact;
mod m20261201_000009_help_from_survey;
mod m20261201_000010_invitation_quarters;
mod m20261201_000011_responses_by_user_partial;
mod m20261202_000012_responses_appended;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_accounts::Migration),
            Box::new(m20261125_000002_sessions::Migration),
            Box::new(m20261130_000003_surveys::Migration),
            Box::new(m20261130_000004_survey_tallies::Migration),
            Box::new(m20261130_000005_help_offers::Migration),
            Box::new(m20261130_000006_help_requests::Migration),
            Box::new(m20261201_000007_help_notifications::Migration),
            Box::new(m20261201_000008_org_contact::Migration),
            Box::new(m20261201_000009_help_from_survey::Migration),
            Box::new(m20261201_000010_invitation_quarters::Migration),
            Box::new(m20261201_000011_responses_by_user_partial::Migration),
            Box::new(m20261202_000012_responses_appended::Migration),
        ]
    }
}
