//! Connecting to SQLite or PostgreSQL, migrating, and counting statements.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sea_query::{PostgresQueryBuilder, SelectStatement};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

use crate::Error;

/// A pool of connections to the directory's database, with a count of the statements it ran.
#[derive(Clone, Debug)]
pub struct Db {
    connection: DatabaseConnection,
    url: DatabaseUrl,
    statements: Arc<AtomicU64>,
    /// SQLite has one writer at a time: a write transaction that reads, then writes, fails
    /// with "database is locked" when another slipped in between. Writes queue here instead.
    /// None on PostgreSQL, whose row locks and constraints do the job.
    sqlite_writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Counts the write units this pool committed (`Unit::commit`), so that readers of the
    /// change feed in this process wake at once rather than at their next look at the store.
    commits: Arc<tokio::sync::watch::Sender<u64>>,
    /// Every city's peer profile, as the directory stood at an audit event (`peers`).
    pub(crate) peer_index: Arc<crate::peers::PeerCache>,
    /// The openings `joinable` weighs, as the directory stood at an audit event (`joining`).
    pub(crate) openings: Arc<crate::joining::OpeningsCache>,
}

/// The database's address. It may hold a password, so its `Debug` leaves it out.
#[derive(Clone)]
struct DatabaseUrl(Arc<str>);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrl(…)")
    }
}

/// The state of the connection pool, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open.
    pub open: u32,
    /// Open connections that wait for work.
    pub idle: u32,
}

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://…`, creating an SQLite file's folder.
    pub async fn connect(url: &str) -> Result<Db, Error> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or_default();
            if let Some(folder) = std::path::Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(folder).map_err(|error| {
                    Error::BadDatabaseUrl(format!(
                        "cannot create the folder {}: {error}",
                        folder.display()
                    ))
                })?;
            }
        } else if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(Error::BadDatabaseUrl(
                "DATABASE_URL must start with sqlite:// or postgres://".to_owned(),
            ));
        }
        let mut connection = Database::connect(connect_options(
            url,
            if url.starts_with("sqlite") { 4 } else { 16 },
        ))
        .await?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        connection.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            // At trace level only (its values may be personal data): each statement with its
            // values inlined, which the benchmark reads to EXPLAIN the standard queries.
            tracing::trace!(target: "persistence::sql", elapsed = ?info.elapsed, statement = %info.statement, "statement");
        });
        let sqlite_writer = url
            .starts_with("sqlite")
            .then(|| Arc::new(tokio::sync::Mutex::new(())));
        Ok(Db {
            connection,
            url: DatabaseUrl(url.into()),
            statements,
            sqlite_writer,
            commits: Arc::new(tokio::sync::watch::Sender::new(0)),
            peer_index: Arc::default(),
            openings: Arc::default(),
        })
    }

    /// A list's statement, as the store should plan it. On PostgreSQL its values are written
    /// into the SQL text (sea-query quotes them), so the server plans it for them: a generic
    /// plan cannot know that a département holds 183 cities of 35,000 (it walked all of them
    /// in name order: 12 ms instead of 0.25 ms), nor use a trigram index for a `LIKE` pattern
    /// it has not seen. The statement cache keeps each distinct list's plan. SQLite plans
    /// each statement for its bound values already.
    pub(crate) fn planned_for_values(&self, query: &SelectStatement) -> Statement {
        match self.connection.get_database_backend() {
            DbBackend::Postgres => {
                Statement::from_string(DbBackend::Postgres, query.to_string(PostgresQueryBuilder))
            }
            backend => backend.build(query),
        }
    }

    /// Applies every pending migration, on a connection of its own.
    pub async fn migrate(&self) -> Result<(), Error> {
        let schema = self.schema_connection().await?;
        let migrated = Migrator::up(&schema, None).await;
        // A failed migration is the error to report, even if closing fails after it.
        let closed = schema.close().await;
        migrated?;
        Ok(closed?)
    }

    /// A pool of one connection, for changes to the schema. SQLite keeps a copy of the schema
    /// in each connection, and checks a new table's or index's name against that copy before
    /// it checks the copy is current: a `CREATE INDEX` sent to a pooled connection that last
    /// read the schema before a `DROP TABLE` on another one fails with "index … already
    /// exists". One connection sees its own changes.
    pub(crate) async fn schema_connection(&self) -> Result<DatabaseConnection, Error> {
        Ok(Database::connect(connect_options(&self.url.0, 1)).await?)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        self.connection.ping().await?;
        Ok(())
    }

    /// The connections the pool holds now, and how many of them wait idle.
    pub fn pool_stats(&self) -> PoolStats {
        use sea_orm::DatabaseBackend;
        match self.connection.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = self.connection.get_postgres_connection_pool();
                PoolStats {
                    open: pool.size(),
                    idle: pool.num_idle() as u32,
                }
            }
            DatabaseBackend::Sqlite => {
                let pool = self.connection.get_sqlite_connection_pool();
                PoolStats {
                    open: pool.size(),
                    idle: pool.num_idle() as u32,
                }
            }
            _ => PoolStats::default(),
        }
    }

    /// Asks the database to check itself: SQLite's `PRAGMA integrity_check` (its rows, `ok`
    /// when sound); PostgreSQL keeps its own integrity and answers `ok` once it responds.
    pub async fn integrity_check(&self) -> Result<Vec<String>, Error> {
        use sea_orm::{DatabaseBackend, Statement};
        match self.connection.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let rows = self
                    .connection
                    .query_all_raw(Statement::from_string(
                        DatabaseBackend::Sqlite,
                        "PRAGMA integrity_check",
                    ))
                    .await?;
                rows.iter()
                    .map(|row| row.try_get_by_index::<String>(0).map_err(Error::from))
                    .collect()
            }
            _ => {
                self.ping().await?;
                Ok(vec!["ok".to_owned()])
            }
        }
    }

    /// Tidies up after a bulk load, so the next queries find the database as a long-running
    /// one would be: on PostgreSQL, `VACUUM ANALYZE` (fresh planner statistics, and the
    /// trigram indexes' pending entries merged — until then every search scans them); on
    /// SQLite, `ANALYZE` then `PRAGMA optimize`.
    pub async fn after_bulk_load(&self) -> Result<(), Error> {
        use sea_orm::DatabaseBackend;
        let statements: &[&str] = match self.connection.get_database_backend() {
            DatabaseBackend::Postgres => &["VACUUM ANALYZE"],
            _ => &["ANALYZE", "PRAGMA optimize"],
        };
        let _turn = self.write_turn().await;
        for statement in statements {
            self.connection.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    /// How many SQL statements this pool has run since it opened.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Changes each time a write unit of this pool commits: a receiver's `changed()` wakes
    /// after the commit, never before, so what it then reads includes the unit's audit
    /// events. Writes by other processes (another server on PostgreSQL, a command-line import
    /// on SQLite) do not show here: whoever must see them looks at the store too.
    pub fn commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commits.subscribe()
    }

    /// How many write units this pool committed so far (`commits`' value now).
    pub fn commit_count(&self) -> u64 {
        *self.commits.borrow()
    }

    /// The database's address, for a connection of its own (`store_version`).
    pub(crate) fn url(&self) -> &str {
        &self.url.0
    }

    /// Tells other server processes, through `tx`, that it changes the store: on PostgreSQL a
    /// `NOTIFY` that is delivered when — and only if — `tx` commits (`store_version`); nothing
    /// on SQLite, whose `data_version` sees every commit already.
    pub(crate) async fn announce(&self, tx: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        if tx.get_database_backend() == DbBackend::Postgres {
            tx.execute_unprepared(&format!("NOTIFY {}", crate::store_version::CHANNEL))
                .await?;
        }
        Ok(())
    }

    /// After a write committed outside a unit (a single statement): tells other processes
    /// (`announce`) and this one (`commits`).
    pub(crate) async fn announce_committed(&self) -> Result<(), sea_orm::DbErr> {
        self.announce(&self.connection).await?;
        self.committed();
        Ok(())
    }

    /// Tells the receivers of `commits` that a unit committed.
    pub(crate) fn committed(&self) {
        self.commits
            .send_modify(|count| *count = count.wrapping_add(1));
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.connection
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
    /// at once, waiting (`busy_timeout`) for another process's writer, rather than at the first
    /// write after reads, where SQLite can only refuse it ("database is locked") if another
    /// connection wrote in between.
    pub(crate) async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        match &self.sqlite_writer {
            Some(_) => {
                self.connection
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await
            }
            None => self.connection.begin().await,
        }
    }

    /// Waits for this process's turn to write, on SQLite; at once on PostgreSQL. Hold the
    /// guard until the write transaction commits.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match &self.sqlite_writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        }
    }
}

/// The options of every pool on the directory's database.
fn connect_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        // A database that went away fails requests within two seconds rather than hold
        // them: /readyz tells the load balancer, and the pool reconnects when it is back.
        .acquire_timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(2))
        // sqlx pings a connection each time it leaves the pool (and again when it comes
        // back): a round trip per statement that doubled the packets each request sent to
        // PostgreSQL. A connection in use is known to be alive; one that sat idle for a
        // while is pinged first, since a server restart or a proxy may have dropped it.
        .test_before_acquire_if_idle_for(Duration::from_secs(10))
        .sqlx_logging(false);
    // PostgreSQL plans each prepared statement once per connection and reuses that plan.
    // Left to itself (`plan_cache_mode = auto`) it planned the batch loads anew at every
    // execution, because it cannot tell from `$1` how many ids a batch holds: 0.3 ms of
    // planning against 0.04 ms of execution, two thirds of its time on a city's page. The
    // statements whose best plan depends on their values — a list's filters and search —
    // carry them in their text instead (`planned_for_values`).
    options.map_sqlx_postgres_opts(|postgres| {
        postgres.options([("plan_cache_mode", "force_generic_plan")])
    });
    // sqlx turns SQLite's foreign keys on for every connection. WAL lets readers run beside
    // the writer; with WAL, `synchronous = NORMAL` keeps every commit through a crash or
    // kill -9 of the process (the commit is in the WAL file before it returns) and syncs to
    // disk at checkpoints rather than at each commit — a write per request (the rate
    // limiter's) would otherwise wait for the disk each time. A power cut can lose the
    // last commits, never the file's integrity.
    // Reads copy pages through the system's page cache rather than map the file: mapped
    // pages count in the process's resident memory (140 MB idle on the benchmark's
    // dataset with 256 MiB mapped), and the copies cost little beside a statement.
    options.map_sqlx_sqlite_opts(|sqlite| {
        sqlite
            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
    });
    options
}
