//! Whether the store changed since a reader last looked, whoever wrote: this process, another
//! server on the same PostgreSQL database, or a command-line import into the same SQLite file.
//! A cache of answers keeps each answer with the version it was computed at and serves it only
//! while the version has not moved (`api::response_cache`).
//!
//! - This process's commits count at once (`Db::commits`: every write unit, and the few writes
//!   outside one, say so after their commit).
//! - On SQLite (in WAL mode), every commit of any connection — of this process or another —
//!   rewrites the header of the WAL index, the `-shm` file beside the database, before it
//!   returns; the header's `iChange` counts transactions ("WAL-index format" in SQLite's
//!   file-format documentation; `struct WalIndexHdr` in its source). A reader reads the
//!   header's two copies with one `pread` — a system call, no round trip to a connection's
//!   thread — and takes them when they agree, as SQLite's own readers do; a changed header is
//!   a new version. When the header cannot be read (no `-shm` file, copies being rewritten),
//!   it falls back on `PRAGMA data_version` on a connection of its own, which changes whenever
//!   any other connection commits: readers asking at once share one reading, made by a task
//!   that owns the connection after every one of them asked. That connection stays open, so
//!   the `-shm` file does too.
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
            let index = wal_index_path(&url).map(|path| Arc::new(WalIndex::new(path)));
            tokio::spawn(watch_sqlite(url, receiver, index.clone()));
            Backend::Sqlite(SqliteWatch { requests, index })
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
    /// The WAL index of a database file (none for a database in memory).
    index: Option<Arc<WalIndex>>,
}

impl SqliteWatch {
    /// The version from the WAL index's header when it can be read, else from `data_version`.
    /// The two count differently: their epochs differ in their lowest bit, so a version of
    /// one never equals a version of the other.
    async fn data_version(&self) -> Option<(u64, u64)> {
        if let Some(read) = self.index.as_deref().and_then(WalIndex::version) {
            return Some(read);
        }
        let (done, read) = oneshot::channel();
        self.requests.send(done).ok()?;
        let (epoch, version) = read.await.ok()??;
        // The watching connection is open by now (it opens before the task answers): the
        // index answers when it can, so that a reader's first question, asked while it
        // opened, does not leave answers kept at a version no later reader will read.
        if let Some(read) = self.index.as_deref().and_then(WalIndex::version) {
            return Some(read);
        }
        Some((epoch << 1, version))
    }
}

/// The `-shm` file of the database `url` names, if it names a file.
fn wal_index_path(url: &str) -> Option<std::path::PathBuf> {
    use std::str::FromStr;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    let name = file.to_str()?;
    if name.is_empty() || name == ":memory:" || name.starts_with("file:") {
        return None;
    }
    let mut path = file.as_os_str().to_owned();
    path.push("-shm");
    Some(path.into())
}

/// Bytes of one copy of the WAL index header (`struct WalIndexHdr`): two copies lead the file.
const HEADER: usize = 48;
/// Where `isInit` sits in a copy: 1 once the header is written.
const IS_INIT: usize = 12;

/// The header of SQLite's WAL index, read as the version of the store. It is read only while
/// the watching connection is open (`held`): SQLite removes the `-shm` file when the last
/// connection to the database closes, and a file opened again would start another count.
struct WalIndex {
    path: std::path::PathBuf,
    /// The watching connection's epoch while it is open; 0 while it is not.
    held: AtomicU64,
    state: std::sync::Mutex<IndexState>,
}

struct IndexState {
    /// The `-shm` file, opened in the epoch `epoch`.
    file: Option<std::fs::File>,
    epoch: u64,
    /// The header last read, and how many different headers were read in this epoch.
    last: [u8; HEADER],
    changes: u64,
}

impl WalIndex {
    fn new(path: std::path::PathBuf) -> WalIndex {
        WalIndex {
            path,
            held: AtomicU64::new(0),
            state: std::sync::Mutex::new(IndexState {
                file: None,
                epoch: 0,
                last: [0; HEADER],
                changes: 0,
            }),
        }
    }

    /// `(epoch, changes)` with an odd epoch, or None when the header cannot be read now.
    fn version(&self) -> Option<(u64, u64)> {
        use std::os::unix::fs::FileExt;
        let held = self.held.load(Ordering::SeqCst);
        if held == 0 {
            return None;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.epoch != held || state.file.is_none() {
            state.file = std::fs::File::open(&self.path).ok();
            state.epoch = held;
            state.last = [0; HEADER];
            state.changes = 0;
        }
        let mut copies = [0; 2 * HEADER];
        let read = state.file.as_ref()?.read_exact_at(&mut copies, 0);
        let (first, second) = copies.split_at(HEADER);
        if read.is_err() || first != second || first[IS_INIT] != 1 {
            // Being rewritten, or not there yet: the other way answers this time.
            return None;
        }
        if state.last != first {
            state.last.copy_from_slice(first);
            state.changes += 1;
        }
        Some(((held << 1) | 1, state.changes))
    }
}

/// The task that reads SQLite's `data_version` for the readers waiting, on a connection that
/// only does that (it counts the commits of every other one); opened again, in a new epoch,
/// after a failure. Ends once the watch is dropped.
async fn watch_sqlite(
    url: String,
    mut requests: mpsc::UnboundedReceiver<oneshot::Sender<Option<(u64, u64)>>>,
    index: Option<Arc<WalIndex>>,
) {
    use sqlx::Connection;
    let mut connection: Option<sqlx::SqliteConnection> = None;
    let mut epoch = 0;
    let mut waiting = Vec::new();
    loop {
        if connection.is_none() {
            connection = sqlx::SqliteConnection::connect(&url)
                .await
                .inspect_err(|error| tracing::warn!(%error, "cannot watch the store"))
                .ok();
            epoch += 1;
            if let Some(index) = &index {
                let held = if connection.is_some() { epoch } else { 0 };
                index.held.store(held, Ordering::SeqCst);
            }
        }
        match requests.recv().await {
            Some(first) => waiting.push(first),
            None => return,
        }
        while let Ok(request) = requests.try_recv() {
            waiting.push(request);
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
                    if let Some(index) = &index {
                        index.held.store(0, Ordering::SeqCst);
                    }
                    None
                }
            },
        };
        for reader in waiting.drain(..) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits of a connection that is not the pool's, as another process's would be, move
    /// the version read from the WAL index; reading again without a commit does not.
    #[tokio::test]
    async fn another_connection_s_commit_moves_the_version_read_from_the_wal_index() {
        use sqlx::Connection;
        let folder = std::env::temp_dir().join(format!("store-version-{}", std::process::id()));
        let url = format!("sqlite://{}?mode=rwc", folder.join("d.sqlite").display());
        let db = Db::connect(&url).await.expect("a database");
        let mut other = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("a connection");
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut other)
            .await
            .expect("created");
        let watch = StoreWatch::start(&db);
        // The first reading may come from `data_version`, while the watching connection opens.
        watch.version(Sync::Now).await.expect("a version");
        let Backend::Sqlite(sqlite) = &watch.backend else {
            unreachable!("a SQLite store")
        };
        let from_index = || sqlite.index.as_deref().and_then(WalIndex::version);

        let before = from_index().expect("the WAL index is read");
        assert_eq!(from_index(), Some(before), "nothing was committed");
        for round in 1..=3 {
            sqlx::query("INSERT INTO t VALUES (1)")
                .execute(&mut other)
                .await
                .expect("inserted");
            let after = watch.version(Sync::Now).await.expect("a version");
            assert_eq!(after.epoch % 2, 1, "read from the WAL index");
            assert_eq!(after.store, before.1 + round, "round {round}");
        }
        drop(other);
        std::fs::remove_dir_all(folder).ok();
    }
}
