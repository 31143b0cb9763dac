//! Database connection: SQLite (embedded default) or PostgreSQL (scale-out).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use shared::DatabaseKind;

/// Arbitrary key of the PostgreSQL advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 0x5155_4152_5449_4552; // "QUARTIER"

/// The connection pool and what kind of database is behind it.
#[derive(Debug, Clone)]
pub struct Db {
    /// Reads. On SQLite a pool of readers that never wait for the writer (WAL).
    conn: DatabaseConnection,
    /// Writes. On SQLite one connection: writers queue for it in the pool instead of
    /// holding a reader's connection while they wait for the file's write lock. On
    /// PostgreSQL the same pool as `conn`, except in the response writer (`for_ingest`).
    writer: DatabaseConnection,
    /// Where it is, for pools of its own (`for_ingest`).
    url: Arc<str>,
}

/// What every pool of this database has: logged statements (at debug level), up to
/// `max` connections and at least one, and `acquire_secs` to wait for one.
fn pool_options(url: &str, max: u32, acquire_secs: u64) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(true)
        .sqlx_logging_level(tracing::log::LevelFilter::Debug)
        .acquire_timeout(Duration::from_secs(acquire_secs))
        .max_connections(max)
        .min_connections(1);
    options
}

impl Db {
    /// Connects and configures the pool. SQLite runs in WAL mode with `synchronous=FULL`
    /// (an acknowledged commit survives power loss), foreign keys on and a busy timeout.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        let base = |max: u32, acquire_secs: u64| pool_options(url, max, acquire_secs);
        if url.starts_with("sqlite:") {
            let sqlite = |mut options: ConnectOptions| {
                // A ping before each use guards against a server that dropped the
                // connection; a file cannot, and on the writer it was one more round
                // trip to the connection's thread per batch.
                options.test_before_acquire(false);
                options.map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(15))
                        .create_if_missing(true)
                        // Deleted rows are overwritten with zeros, not left in free
                        // space: an erased account must not be readable in the file.
                        .pragma("secure_delete", "ON")
                        // The writer copies the log into the file every 40 MB, not
                        // every 4 MB: a tenth as many checkpoints, each page written
                        // once for many commits (measured: ~10 % more responses a
                        // second, p99 9.3 → 6.7 ms at 32 clients).
                        .pragma("wal_autocheckpoint", "10000")
                });
                options
            };
            // The writer first: it creates the file and switches it to WAL.
            let writer = Database::connect(sqlite(base(1, 30)))
                .await
                .context("connecting to the database")?;
            let conn = Database::connect(sqlite(base(8, 10)))
                .await
                .context("connecting to the database")?;
            Ok(Db {
                conn,
                writer,
                url: url.into(),
            })
        } else {
            let conn = Database::connect(base(16, 10))
                .await
                .context("connecting to the database")?;
            Ok(Db {
                writer: conn.clone(),
                conn,
                url: url.into(),
            })
        }
    }

    /// This database for the response writer (`surveys::ingest`), called on the
    /// writer's own runtime. On PostgreSQL its writes get a pool of their own, of
    /// `connections`, opened by that runtime, so a socket's answer wakes the writer's
    /// thread and not a request worker's first; and a connection busy within the last
    /// second is not pinged before a batch (sqlx pings every connection on its way back
    /// to the pool anyway, and closes a broken one there). Measured: a ping before each
    /// use was one more round trip per batch (four alternating 10-s pairs at 32 clients:
    /// 7,705 / 5,859 / 5,607 / 5,129 responses/s without against 6,565 / 5,967 / 4,900 /
    /// 4,972 with). A connection idle for longer is pinged first, so one the server
    /// dropped meanwhile (a restart) is replaced before a batch meets it.
    /// On SQLite the same database: its one writer connection already is the writer's.
    pub async fn for_ingest(&self, connections: u32) -> Result<Db, DbErr> {
        if self.kind() == DatabaseKind::Sqlite {
            return Ok(self.clone());
        }
        let mut options = pool_options(&self.url, connections, 30);
        options
            .min_connections(connections)
            .test_before_acquire_if_idle_for(Duration::from_secs(1))
            .connect_lazy(true);
        Ok(Db {
            conn: self.conn.clone(),
            writer: Database::connect(options).await?,
            url: self.url.clone(),
        })
    }

    /// The connection that writes (SQLite: the one writer). Prefer `begin_write`.
    pub fn writer(&self) -> &DatabaseConnection {
        &self.writer
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn kind(&self) -> DatabaseKind {
        match self.conn.get_database_backend() {
            DbBackend::Postgres => DatabaseKind::Postgres,
            _ => DatabaseKind::Sqlite,
        }
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at
    /// `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout instead of
    /// failing with "database is locked" when a read transaction tries to upgrade.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        self.writer
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }

    /// After deleting personal data: on SQLite, copies the WAL into the main file and
    /// truncates it, so the deleted rows' old page images (kept in the WAL until a
    /// checkpoint) are gone from disk too. Best effort: a long read may keep a frame.
    /// On PostgreSQL nothing (see ARCHITECTURE.md, privacy: `VACUUM`).
    pub async fn checkpoint(&self) -> Result<(), DbErr> {
        if self.kind() == DatabaseKind::Sqlite {
            self.writer
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        Ok(())
    }

    /// Applies pending migrations. On PostgreSQL several instances may start at once:
    /// a transaction-scoped advisory lock lets one migrate while the others wait, and
    /// they then find nothing pending. (PostgreSQL DDL is transactional.)
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.kind() {
            DatabaseKind::Postgres => {
                let txn = self.writer.begin().await?;
                txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                    .await?;
                Migrator::up(&txn, None)
                    .await
                    .context("applying database migrations")?;
                txn.commit().await?;
                Ok(())
            }
            DatabaseKind::Sqlite => Migrator::up(&self.writer, None)
                .await
                .context("applying database migrations"),
        }
    }

    /// Newest applied migration and the applied/known counts.
    pub async fn migration_level(&self) -> Result<(Option<String>, u32, u32), DbErr> {
        let applied = Migrator::get_applied_migrations(&self.conn).await?;
        let known = Migrator::migrations().len() as u32;
        let newest = applied.last().map(|m| m.name().to_owned());
        Ok((newest, applied.len() as u32, known))
    }
}
