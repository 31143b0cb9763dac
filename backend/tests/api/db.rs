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
