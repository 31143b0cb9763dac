//! Demo data: one organisation, three quarters with population figures, and a user
//! of every role. All demo accounts share the password printed by `seed-demo`.

use anyhow::Context;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use shared::{Language, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::service::{NewUser, create_user};
use crate::db::Db;
use crate::entities::{organisation, quarter};

/// Password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "quartier-demo";

/// (name, description, total, under 50, 50–64, 65–74, 75–84, 85+)
type QuarterSeed = (&'static str, &'static str, i32, i32, i32, i32, i32, i32);
/// (email, display name, role grants)
type PersonSeed = (
    &'static str,
    &'static str,
    Vec<(Role, Option<Uuid>, Option<Uuid>)>,
);

const QUARTERS: [QuarterSeed; 3] = [
    (
        "Altstadt-Nord",
        "Historic centre with narrow lanes, many small flats and few lifts.",
        4200,
        2100,
        900,
        600,
        420,
        180,
    ),
    (
        "Gartenstadt",
        "Garden-city estate of the 1950s; many long-time residents over 75.",
        3100,
        1150,
        700,
        560,
        480,
        210,
    ),
    (
        "Am Bahnhof",
        "Mixed quarter by the station: new buildings, shops, a health centre.",
        5600,
        3400,
        1100,
        600,
        360,
        140,
    ),
];

/// Seeds the demo data unless an organisation exists already. Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> anyhow::Result<bool> {
    if organisation::Entity::find().count(db.conn()).await? > 0 {
        return Ok(false);
    }
    seed(db).await?;
    Ok(true)
}

async fn seed(db: &Db) -> anyhow::Result<()> {
    let txn = db.begin_write().await?;
    let now = OffsetDateTime::now_utc();
    let org = organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set("Quartiersbüro Musterstadt".into()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mut quarter_ids = Vec::new();
    for (name, description, total, u50, a50, a65, a75, a85) in QUARTERS {
        let q = quarter::ActiveModel {
            id: Set(Uuid::now_v7()),
            organisation_id: Set(org.id),
            name: Set(name.into()),
            description: Set(description.into()),
            population_total: Set(total),
            population_under50: Set(u50),
            population50_to64: Set(a50),
            population65_to74: Set(a65),
            population75_to84: Set(a75),
            population85_plus: Set(a85),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        quarter_ids.push(q.id);
    }
    let (nord, garten) = (quarter_ids[0], quarter_ids[1]);
    let people: [PersonSeed; 5] = [
        (
            "admin@demo.quartier.example",
            "Aylin Admin",
            vec![(Role::Admin, Some(org.id), None)],
        ),
        (
            "manager@demo.quartier.example",
            "Martin Manager",
            vec![
                (Role::Manager, Some(org.id), Some(nord)),
                (Role::Manager, Some(org.id), Some(garten)),
            ],
        ),
        (
            "erna@demo.quartier.example",
            "Erna Schmidt",
            vec![(Role::Resident, None, None)],
        ),
        (
            "volunteer@demo.quartier.example",
            "Vera Volunteer",
            vec![(Role::Resident, None, None), (Role::Volunteer, None, None)],
        ),
        (
            "resident@demo.quartier.example",
            "Ruth Resident",
            vec![(Role::Resident, None, None)],
        ),
    ];
    let mut manager = None;
    for (email, name, grants) in people {
        let user = create_user(
            &txn,
            NewUser {
                email,
                password: DEMO_PASSWORD,
                display_name: name,
                language: Language::De,
                home_quarter_id: Some(garten),
            },
            &grants,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("creating demo user {email}"))?;
        if email.starts_with("manager@") {
            manager = Some(user.id);
        }
    }
    txn.commit().await?;
    let manager = manager.context("the demo manager")?;
    crate::surveys::demo::seed(db, org.id, &quarter_ids, manager)
        .await
        .context("seeding demo surveys")?;
    Ok(())
}
