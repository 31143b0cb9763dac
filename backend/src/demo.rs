//! Demo data: one organisation, three quarters with population figures, and a user
//! of every role. All demo accounts share the password printed by `seed-demo`.

use anyhow::Context;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, Set,
};
use shared::{Language, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::registration::{NewUser, create_user};
use crate::db::Db;
use crate::entities::{organisation, organisation_contact, quarter};
use shared::DatabaseKind;

/// Password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "quartier-demo";

/// (name, description in German — the demo is a German office's —, total, under 50, 50–64, 65–74, 75–84, 85+)
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
        "Historische Altstadt mit engen Gassen, vielen kleinen Wohnungen und wenigen Aufzügen.",
        4200,
        2100,
        900,
        600,
        420,
        180,
    ),
    (
        "Gartenstadt",
        "Gartenstadt-Siedlung aus den 1950er-Jahren; viele langjährige Bewohner über 75.",
        3100,
        1150,
        700,
        560,
        480,
        210,
    ),
    (
        "Am Bahnhof",
        "Gemischtes Viertel am Bahnhof: Neubauten, Geschäfte, ein Gesundheitszentrum.",
        5600,
        3400,
        1100,
        600,
        360,
        140,
    ),
];

/// Arbitrary key of the PostgreSQL advisory lock held while deciding to seed.
const SEED_LOCK: i64 = 0x5155_4152_5449_4553; // "QUARTIES"

/// Seeds the demo data unless an organisation exists already. Returns whether it seeded.
///
/// Instances started together on one database all call this: the check and the inserts
/// are one write transaction (on PostgreSQL under an advisory lock, on SQLite the one
/// writer's `BEGIN IMMEDIATE`), so one seeds and the others then find its organisation —
/// none fails on the unique name.
pub async fn seed_if_empty(db: &Db) -> anyhow::Result<bool> {
    let txn = db.begin_write().await?;
    if db.kind() == DatabaseKind::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({SEED_LOCK})"))
            .await?;
    }
    if organisation::Entity::find().count(&txn).await? > 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    let (org, quarter_ids, manager) = seed_accounts(&txn).await?;
    txn.commit().await?;
    crate::surveys::demo::seed(db, org, &quarter_ids, manager)
        .await
        .context("seeding demo surveys")?;
    Ok(true)
}

/// The organisation, its quarters and the people; returns the organisation, the
/// quarters and the manager.
async fn seed_accounts(txn: &DatabaseTransaction) -> anyhow::Result<(Uuid, Vec<Uuid>, Uuid)> {
    let now = OffsetDateTime::now_utc();
    let org = organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set("Quartiersbüro Musterstadt".into()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    // The number is in the range the Bundesnetzagentur keeps for films and books
    // (030 23125-000 to -999): nobody's phone rings.
    organisation_contact::ActiveModel {
        organisation_id: Set(org.id),
        office_name: Set("Quartiersbüro Musterstadt".into()),
        street: Set("Marktplatz 3".into()),
        address_extra: Set("im Bürgerhaus, Erdgeschoss (stufenloser Eingang)".into()),
        postcode: Set("12345".into()),
        city: Set("Musterstadt".into()),
        phone: Set("030 23125 456".into()),
        email: Set(Some("quartiersbuero@demo.quartier.example".into())),
        opening_hours_de: Set(
            "Montag bis Donnerstag 9–12 Uhr\nDienstag auch 14–17 Uhr\nFreitag nach Vereinbarung".into(),
        ),
        opening_hours_en: Set(
            "Monday to Thursday 9 am – 12 noon\nTuesdays also 2 – 5 pm\nFridays by appointment".into(),
        ),
        legal_notice: Set("Stadt Musterstadt, Amt für Soziales\nMarktplatz 1, 12345 Musterstadt\nVertreten durch die Bürgermeisterin\nVerantwortlich für den Inhalt: Quartiersbüro Musterstadt (Anschrift wie oben)".into()),
        legal_notice_url: Set(None),
        updated_at: Set(now),
    }
    .insert(txn)
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
        .insert(txn)
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
            txn,
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
    let manager = manager.context("the demo manager")?;
    Ok((org.id, quarter_ids, manager))
}
