//! Whether the store changed since a reader last looked, whoever wrote: this process, another
//! server on the same PostgreSQL database, or a command-line import into the same SQLite file.
//! A cache of answers keeps each answer with the version it was computed at and serves it only
//! while the version has not moved (`api::response_cache`).
//!
//! - This process's commits count at once (`Db::commits`: every write unit, and the few writes
//!   outside one, say so after their commit).
//! - On SQLite, `PRAGMA data_version` on a connection of its own changes whenever any other
//!   connection — of this process or another — commits to the file. Readers asking at once
//!   share one reading: a task owns the connection and, for each batch of readers waiting,
//!   reads it once — after every one of them asked, so each gets a value at least as fresh as
//!   its question.
//! - On PostgreSQL, every commit sends `NOTIFY directory_changed` in its transaction
//!   (`Db::announce`), delivered at commit to a connection of this process that listens. A
//!   reader about to serve a kept answer first makes a round trip on that connection
//!   (`StoreWatch::version(Sync::Now)`): a commit acknowledged before the reader asked has
//!   signalled the listening backend already, and the backend sends pending notifications
//!   before it answers, so they are heard by then. Concurrent readers share one round trip.
//!
//! When the version cannot be known — the dedicated connection failed, the listener is
//! reconnecting — `version` answers None and the cache neither serves nor keeps anything.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx;
use tokio::sync::{mpsc, oneshot};

use crate::Db;

/// The channel every commit notifies on PostgreSQL.
pub(crate) const CHANNEL: &str = "directory_changed";

/// How often the PostgreSQL listener reads what it was sent when no reader asks, so that
/// notifications do not pile up in its socket and in the server's queue.
const IDLE_DRAIN: Duration = Duration::from_secs(1);

/// Where the store stands: equal versions mean nothing was committed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    /// Write units this process committed.
    local: u64,
    /// Reconnections of the watching connection: a new connection's count starts afresh.
    epoch: u64,
    /// SQLite's `data_version`, or the notifications PostgreSQL's listener heard.
    store: u64,
}

/// Whether a reader needs commits of other processes heard up to now, or may take what was
/// heard already (a version an answer is computed at may lag: the answer then expires early).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sync {
    Now,
    AsHeard,
}

/// Watches the store for commits; one per server process.
pub struct StoreWatch {
    db: Db,
    backend: Backend,
}

enum Backend {
    Sqlite(SqliteWatch),
    Postgres(Arc<PgWatch>),
}

impl StoreWatch {
    /// Starts watching the store `db` serves (on PostgreSQL, a listening connection and its
    /// task).
    pub fn start(db: &Db) -> StoreWatch {
        let url = db.url().to_owned();
        let backend = if url.starts_with("sqlite") {
            let (requests, receiver) = mpsc::unbounded_channel();
            tokio::spawn(watch_sqlite(url, receiver));
            Backend::Sqlite(SqliteWatch { requests })
        } else {
            let (requests, receiver) = mpsc::unbounded_channel();
            let watch = Arc::new(PgWatch {
                heard: AtomicU64::new(0),
                epoch: AtomicU64::new(0),
                listening: AtomicBool::new(false),
                requests,
            });
            tokio::spawn(listen(url, Arc::downgrade(&watch), receiver));
            Backend::Postgres(watch)
        };
        StoreWatch {
            db: db.clone(),
            backend,
        }
    }

    /// The store's version now, or None when it cannot be known.
    pub async fn version(&self, sync: Sync) -> Option<Version> {
        let local = self.db.commit_count();
        let (epoch, store) = match &self.backend {
            Backend::Sqlite(watch) => watch.data_version().await?,
            Backend::Postgres(watch) => watch.version(sync).await?,
        };
        Some(Version {
            local,
            epoch,
            store,
        })
    }
}

struct SqliteWatch {
    /// Readers waiting for a reading of `data_version` (and the connection's epoch).
    requests: mpsc::UnboundedSender<oneshot::Sender<Option<(u64, u64)>>>,
}

impl SqliteWatch {
    async fn data_version(&self) -> Option<(u64, u64)> {
        let (done, read) = oneshot::channel();
        self.requests.send(done).ok()?;
        read.await.ok()?
    }
}

/// The task that reads SQLite's `data_version` for the readers waiting, on a connection that
/// only does that (it counts the commits of every other one); opened again, in a new epoch,
/// after a failure. Ends once the watch is dropped.
async fn watch_sqlite(
    url: String,
    mut requests: mpsc::UnboundedReceiver<oneshot::Sender<Option<(u64, u64)>>>,
) {
    use sqlx::Connection;
    let mut connection: Option<sqlx::SqliteConnection> = None;
    let mut epoch = 0;
    while let Some(first) = requests.recv().await {
        let mut waiting = vec![first];
        while let Ok(request) = requests.try_recv() {
            waiting.push(request);
        }
        if connection.is_none() {
            connection = sqlx::SqliteConnection::connect(&url)
                .await
                .inspect_err(|error| tracing::warn!(%error, "cannot watch the store"))
                .ok();
            epoch += 1;
        }
        let read = match connection.as_mut() {
            None => None,
            Some(open) => match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                .fetch_one(&mut *open)
                .await
            {
                Ok(version) => Some((epoch, version as u64)),
                Err(error) => {
                    tracing::warn!(%error, "cannot read the store's data_version");
                    connection = None;
                    None
                }
            },
        };
        for reader in waiting {
            let _ = reader.send(read);
        }
    }
}

struct PgWatch {
    /// Notifications heard, and reconnections (which may have missed some).
    heard: AtomicU64,
    epoch: AtomicU64,
    /// Whether the listener is connected and listening.
    listening: AtomicBool,
    /// Readers waiting for a round trip on the listening connection.
    requests: mpsc::UnboundedSender<oneshot::Sender<bool>>,
}

impl PgWatch {
    async fn version(&self, sync: Sync) -> Option<(u64, u64)> {
        if sync == Sync::Now {
            let (done, heard) = oneshot::channel();
            self.requests.send(done).ok()?;
            if !tokio::time::timeout(Duration::from_secs(2), heard)
                .await
                .ok()?
                .ok()?
            {
                return None;
            }
        }
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        Some((
            self.epoch.load(Ordering::SeqCst),
            self.heard.load(Ordering::SeqCst),
        ))
    }
}

/// The listening task: connects, listens, and for each batch of waiting readers (or every
/// `IDLE_DRAIN`) makes a round trip that brings in the notifications sent so far. Reconnects
/// after a failure, counting a new epoch. Ends once the watch is dropped.
async fn listen(
    url: String,
    watch: std::sync::Weak<PgWatch>,
    mut requests: mpsc::UnboundedReceiver<oneshot::Sender<bool>>,
) {
    use sqlx::postgres::PgListener;
    loop {
        let listener = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = match listener.await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for the store's commits; retrying");
                // Readers waiting meanwhile are told the version is unknown.
                while let Ok(waiting) = requests.try_recv() {
                    let _ = waiting.send(false);
                }
                if watch.strong_count() == 0 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        {
            let Some(watch) = watch.upgrade() else { return };
            watch.epoch.fetch_add(1, Ordering::SeqCst);
            watch.listening.store(true, Ordering::SeqCst);
        }
        loop {
            let mut waiting = Vec::new();
            tokio::select! {
                request = requests.recv() => match request {
                    Some(request) => waiting.push(request),
                    None => return,
                },
                () = tokio::time::sleep(IDLE_DRAIN) => {}
            }
            while let Ok(request) = requests.try_recv() {
                waiting.push(request);
            }
            let Some(state) = watch.upgrade() else { return };
            let trip = sqlx::query("SELECT 1").execute(&mut listener).await;
            let mut heard = 0;
            while listener.next_buffered().is_some() {
                heard += 1;
            }
            state.heard.fetch_add(heard, Ordering::SeqCst);
            let ok = trip.is_ok();
            if !ok {
                state.listening.store(false, Ordering::SeqCst);
            }
            for request in waiting {
                let _ = request.send(ok);
            }
            if let Err(error) = trip {
                tracing::warn!(%error, "lost the connection that listens for commits");
                break;
            }
        }
    }
}
