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

/// Migration 000010 moves each invitation's comma-joined quarter ids into the join
/// table `invitation_quarters`: every id naming a quarter becomes a row, parts that are
/// no id or name no quarter are dropped, and the text column goes. On SQLite and,
/// with `QUARTIER_TEST_PG_URL`, on PostgreSQL (the SQL differs).
#[tokio::test]
async fn the_invitation_quarters_migration_keeps_every_quarter() {
    use migrations::{Migrator, MigratorTrait};
    use quartier::entities::{invitation, invitation_quarter};
    use sea_orm::{ConnectionTrait, Database, QueryOrder, Value};
    use uuid::Uuid;

    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(9)).await.unwrap();

    let now = time::OffsetDateTime::now_utc();
    let org = Uuid::new_v4();
    let (north, south, deleted) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    insert_row(
        &db,
        "organisations",
        vec![
            ("id", org.into()),
            ("name", "Quartiersbüro".into()),
            ("created_at", now.into()),
        ],
    )
    .await;
    for (quarter, name) in [(north, "Nord"), (south, "Süd")] {
        insert_row(
            &db,
            "quarters",
            vec![
                ("id", quarter.into()),
                ("organisation_id", org.into()),
                ("name", name.into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ],
        )
        .await;
    }
    let (both, one_left, none) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    for (invitation, quarter_ids) in [
        (both, format!("{north},{south}")),
        (one_left, format!("{south},not-an-id,{deleted}")),
        (none, String::new()),
    ] {
        insert_row(
            &db,
            "invitations",
            vec![
                ("id", invitation.into()),
                ("organisation_id", org.into()),
                ("email", format!("{invitation}@example.de").into()),
                ("display_name", "Neue Managerin".into()),
                ("quarter_ids", quarter_ids.into()),
                ("code_hash", invitation.simple().to_string().into()),
                ("expires_at", now.into()),
                ("created_at", now.into()),
            ],
        )
        .await;
    }

    // Exactly migration 000010, so that the one step down below is that migration.
    Migrator::up(&db, Some(1)).await.unwrap();

    let mut rows: Vec<(Uuid, Uuid)> = invitation_quarter::Entity::find()
        .order_by_asc(invitation_quarter::Column::InvitationId)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.invitation_id, r.quarter_id))
        .collect();
    rows.sort();
    let mut expected = vec![(both, north), (both, south), (one_left, south)];
    expected.sort();
    assert_eq!(rows, expected, "each quarter that exists, once");
    assert_eq!(
        invitation::Entity::find().all(&db).await.unwrap().len(),
        3,
        "every invitation stays, one without quarters too"
    );
    // Unquoted: SQLite reads a double-quoted name that matches no column as a string.
    let old_column = db
        .execute_unprepared("SELECT quarter_ids FROM invitations")
        .await;
    assert!(old_column.is_err(), "the text column is gone");

    // Deleting an invitation takes its quarters with it.
    invitation::Entity::delete_by_id(both)
        .exec(&db)
        .await
        .unwrap();
    let left = invitation_quarter::Entity::find().all(&db).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].invitation_id, one_left);

    // Down again: the rows become the text they were.
    Migrator::down(&db, Some(1)).await.unwrap();
    let mut texts: Vec<(Uuid, String)> = Vec::new();
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id, quarter_ids FROM invitations",
        ))
        .await
        .unwrap()
    {
        texts.push((
            row.try_get("", "id").unwrap(),
            row.try_get("", "quarter_ids").unwrap(),
        ));
    }
    texts.sort();
    let mut expected = vec![(one_left, south.to_string()), (none, String::new())];
    expected.sort();
    assert_eq!(texts, expected);
    db.close().await.unwrap();

    /// Inserts one row by column name, as the schema of that migration level has it.
    async fn insert_row(db: &impl ConnectionTrait, table: &str, row: Vec<(&str, Value)>) {
        use sea_orm::sea_query::{Alias, Query};
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(table))
            .columns(row.iter().map(|(column, _)| Alias::new(*column)))
            .values_panic(row.into_iter().map(|(_, value)| value.into()));
        db.execute(&insert).await.unwrap();
    }
}

/// Migration 000011: the user index of responses holds only rows with a user (an
/// anonymous response wrote a random index page for nothing), and goes back whole.
#[tokio::test]
async fn the_user_index_of_responses_is_partial_and_reversible() {
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

    async fn definition(db: &sea_orm::DatabaseConnection) -> String {
        let sql = match db.get_database_backend() {
            DbBackend::Sqlite => {
                "SELECT sql AS def FROM sqlite_master WHERE name = 'survey_responses_by_user'"
            }
            _ => {
                "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'survey_responses_by_user'"
            }
        };
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .expect("the index exists");
        row.try_get::<String>("", "def").unwrap().to_lowercase()
    }

    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let partial = definition(&db).await;
    assert!(
        partial.contains("where") && partial.contains("is not null"),
        "{partial}"
    );
    // Migration 000012 (after this one) rebuilds the table with its indexes.
    Migrator::down(&db, Some(2)).await.unwrap();
    let full = definition(&db).await;
    assert!(!full.contains("where"), "{full}");
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(definition(&db).await, partial);
    db.close().await.unwrap();
}
