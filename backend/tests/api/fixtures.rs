//! A small world for authorization tests: two organisations, three quarters and a
//! person in every role, with tokens minted for each.

use quartier::accounts::registration::{NewUser, create_user};
use quartier::auth::jwt::JwtKeys;
use quartier::entities::{organisation, quarter};
use sea_orm::{ActiveModelTrait, Set};
use shared::{Language, Role};
use uuid::Uuid;

use crate::helpers::{GOOD_PASSWORD, TestApp};

pub struct World {
    pub org_a: Uuid,
    pub org_b: Uuid,
    /// Quarters of organisation A; the manager manages only `q1`.
    pub q1: Uuid,
    pub q2: Uuid,
    /// Quarter of organisation B.
    pub q3: Uuid,
    pub resident_q1: Uuid,
    pub resident_q2: Uuid,
    pub resident_q3: Uuid,
    pub manager_a: Uuid,
    /// Manager of `q2` who lives in `q1`: staff in the first manager's quarter.
    pub staff_in_q1: Uuid,
    pub tokens: Tokens,
}

/// One access token per role.
pub struct Tokens {
    pub resident: String,
    pub volunteer: String,
    pub manager: String,
    pub admin: String,
    pub admin_b: String,
    pub staff_in_q1: String,
}

async fn org(app: &TestApp, name: &str) -> Uuid {
    let now = time::OffsetDateTime::now_utc();
    organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.into()),
        created_at: Set(now),
    }
    .insert(app.db.conn())
    .await
    .unwrap()
    .id
}

async fn quarter(app: &TestApp, org: Uuid, name: &str) -> Uuid {
    let now = time::OffsetDateTime::now_utc();
    quarter::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(org),
        name: Set(name.into()),
        description: Set(String::new()),
        population_total: Set(1000),
        population_under50: Set(500),
        population50_to64: Set(200),
        population65_to74: Set(150),
        population75_to84: Set(100),
        population85_plus: Set(50),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(app.db.conn())
    .await
    .unwrap()
    .id
}

pub async fn person(
    app: &TestApp,
    email: &str,
    home: Option<Uuid>,
    grants: &[(Role, Option<Uuid>, Option<Uuid>)],
) -> Uuid {
    create_user(
        app.db.conn(),
        NewUser {
            email,
            password: GOOD_PASSWORD,
            display_name: email.split('@').next().unwrap(),
            language: Language::De,
            home_quarter_id: home,
        },
        grants,
    )
    .await
    .unwrap()
    .id
}

pub async fn world(app: &TestApp) -> World {
    let org_a = org(app, "Stadtteilbüro A").await;
    let org_b = org(app, "Wohnungsbau B").await;
    let q1 = quarter(app, org_a, "Nord").await;
    let q2 = quarter(app, org_a, "Süd").await;
    let q3 = quarter(app, org_b, "West").await;
    let resident = [(Role::Resident, None, None)];
    let resident_q1 = person(app, "r1@example.de", Some(q1), &resident).await;
    let resident_q2 = person(app, "r2@example.de", Some(q2), &resident).await;
    let resident_q3 = person(app, "r3@example.de", Some(q3), &resident).await;
    let volunteer = person(
        app,
        "v1@example.de",
        Some(q1),
        &[(Role::Resident, None, None), (Role::Volunteer, None, None)],
    )
    .await;
    let manager_a = person(
        app,
        "m1@example.de",
        None,
        &[(Role::Manager, Some(org_a), Some(q1))],
    )
    .await;
    let staff_in_q1 = person(
        app,
        "m2@example.de",
        Some(q1),
        &[(Role::Manager, Some(org_a), Some(q2))],
    )
    .await;
    let admin_a = person(
        app,
        "a1@example.de",
        None,
        &[(Role::Admin, Some(org_a), None)],
    )
    .await;
    let admin_b = person(
        app,
        "b1@example.de",
        None,
        &[(Role::Admin, Some(org_b), None)],
    )
    .await;
    let keys = JwtKeys::new("test-secret-test-secret-test-secret-0123");
    let token = |id| keys.issue(id).unwrap();
    World {
        org_a,
        org_b,
        q1,
        q2,
        q3,
        resident_q1,
        resident_q2,
        resident_q3,
        manager_a,
        staff_in_q1,
        tokens: Tokens {
            resident: token(resident_q1),
            volunteer: token(volunteer),
            manager: token(manager_a),
            admin: token(admin_a),
            admin_b: token(admin_b),
            staff_in_q1: token(staff_in_q1),
        },
    }
}
