//! The storage layer under concurrent writers.

use quartier::entities::organisation;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::spawn_app;

/// Many writers at once all succeed: on SQLite they queue on the write lock
/// (`BEGIN IMMEDIATE` + busy timeout) instead of failing with "database is locked".
#[tokio::test]
async fn concurrent_write_transactions_all_commit() {
    let app = spawn_app().await;
    let writers = 40;
    let mut tasks = Vec::new();
    for i in 0..writers {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let txn = db.begin_write().await?;
            // Read, then write, in one transaction: the pattern that deadlocks with
            // deferred transactions on SQLite.
            let before = organisation::Entity::find().count(&txn).await?;
            organisation::ActiveModel {
                id: Set(uuid::Uuid::new_v4()),
                name: Set(format!("Organisation {i} after {before}")),
                created_at: Set(time::OffsetDateTime::now_utc()),
            }
            .insert(&txn)
            .await?;
            txn.commit().await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let count = organisation::Entity::find()
        .count(app.db.conn())
        .await
        .unwrap();
    assert_eq!(count, writers);
}

/// Several instances starting at once against one PostgreSQL database all come up:
/// one migrates, the others wait for it and find nothing to do.
#[tokio::test]
async fn instances_starting_together_migrate_once() {
    if std::env::var("QUARTIER_TEST_PG_URL").map_or(true, |u| u.is_empty()) {
        // Several instances share a database only on PostgreSQL; SQLite is single-process.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let mut starts = Vec::new();
    for _ in 0..3 {
        let url = url.clone();
        starts.push(tokio::spawn(async move {
            let db = quartier::db::Db::connect(&url).await?;
            db.migrate().await?;
            db.migration_level().await.map_err(anyhow::Error::from)
        }));
    }
    for start in starts {
        let (_, applied, known) = start.await.unwrap().unwrap();
        assert_eq!(applied, known);
    }
}

/// Migration 000004 folds the per-counter rows of `survey_counts` into one tally per
/// group, keeping every count (a database from before it must not lose its results).
#[tokio::test]
async fn the_tally_migration_keeps_every_count() {
    use migrations::{Migrator, MigratorTrait};
    use quartier::entities::survey_tally;
    use quartier::surveys::counters::Tally;
    use sea_orm::{ConnectOptions, ConnectionTrait, Database, Statement, Value};

    // One connection (an in-memory database is per connection), so the pragma holds:
    // the survey row itself is not needed here.
    let mut options = ConnectOptions::new("sqlite::memory:");
    options.max_connections(1).min_connections(1);
    let db = Database::connect(options).await.unwrap();
    Migrator::up(&db, Some(3)).await.unwrap();
    db.execute_unprepared("PRAGMA foreign_keys = OFF")
        .await
        .unwrap();
    let survey = uuid::Uuid::new_v4();
    let rows: [(&str, &str, &str, &str, i64, f64, Option<f64>, Option<f64>); 5] = [
        ("#day", "2026-11-30", "q1", "65-74", 3, 0.0, None, None),
        ("#day", "2026-12-01", "q1", "65-74", 2, 0.0, None, None),
        ("shop", "yes", "q1", "65-74", 4, 0.0, None, None),
        ("age", "", "q1", "65-74", 5, 350.0, Some(61.0), Some(80.0)),
        ("#day", "2026-11-30", "", "", 7, 0.0, None, None),
    ];
    for (question, choice, quarter, band, n, total, min, max) in rows {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            r#"INSERT INTO "survey_counts" ("survey_id", "question", "choice", "quarter_key",
                "age_band", "channel", "n", "total", "min_value", "max_value")
                VALUES (?, ?, ?, ?, ?, 'online', ?, ?, ?, ?)"#,
            [
                Value::from(survey),
                question.into(),
                choice.into(),
                quarter.into(),
                band.into(),
                n.into(),
                total.into(),
                min.into(),
                max.into(),
            ],
        ))
        .await
        .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();

    let tallies = survey_tally::Entity::find().all(&db).await.unwrap();
    assert_eq!(tallies.len(), 2, "one tally per group");
    let group = tallies.iter().find(|t| t.quarter_key == "q1").unwrap();
    assert_eq!(
        group.responses, 5,
        "the group's responses are its day counts"
    );
    let tally = Tally::from_row(group.responses, &group.counts).unwrap();
    assert_eq!(tally.cells["shop"]["yes"].n(), 4);
    let age = tally.cells["age"][""];
    assert_eq!(
        (age.n(), age.total(), age.min(), age.max()),
        (5, 350.0, Some(61.0), Some(80.0))
    );
    assert_eq!(tally.cells["#day"]["2026-12-01"].n(), 2);
    let rest = tallies.iter().find(|t| t.quarter_key.is_empty()).unwrap();
    assert_eq!(rest.responses, 7);
}
