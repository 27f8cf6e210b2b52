//! What a live stream of the change feed waits on, and what bounds the streams: the `Hub`
//! wakes streams when the feed may have grown, counts the streams of each caller, and ends
//! them all when the server shuts down.
//!
//! The feed grows by commits. A write unit committed in this process says so at once
//! (`persistence::Db::commits`); a write by another process — another server on the same
//! PostgreSQL database, a command-line import on SQLite — is seen by looking at the feed's
//! last position every `LIVE_POLL_MS`. One task per process does both, only while streams are
//! open, so a thousand idle streams cost one statement per interval, not a thousand. A wake
//! only says "look again": each stream reads the feed after its own position, with its own
//! filter, so a missed or extra wake loses nothing and repeats nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use domain::Id;
use persistence::Db;
use tokio::sync::{Notify, watch};

use crate::config::Live;

/// The live streams of one server process.
pub struct Hub {
    db: Db,
    config: Live,
    /// Bumped whenever the feed may have grown; each stream holds a receiver.
    wake: watch::Sender<u64>,
    /// Whether the task that feeds `wake` runs (it stops once no stream listens).
    watching: Mutex<bool>,
    /// Open streams by caller (`rate_limit::caller_key`).
    open: Mutex<HashMap<String, usize>>,
    /// Set once the server begins to shut down: open streams complete, new ones are refused.
    stopping: watch::Sender<bool>,
}

/// Why a stream may not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller holds `maximum` streams already.
    TooMany { maximum: usize },
    /// The server is shutting down.
    Stopping,
}

impl Hub {
    pub fn new(db: Db, config: Live) -> Arc<Hub> {
        Arc::new(Hub {
            db,
            config,
            wake: watch::Sender::new(0),
            watching: Mutex::new(false),
            open: Mutex::new(HashMap::new()),
            stopping: watch::Sender::new(false),
        })
    }

    /// How long a stream may stay silent before a keep-alive comment.
    pub fn keep_alive(&self) -> std::time::Duration {
        self.config.keep_alive()
    }

    /// Counts one more stream for `caller`, within `MAX_STREAMS_PER_CALLER`, unless the server
    /// is shutting down. The stream is counted until the returned value is dropped.
    pub fn admit(self: &Arc<Hub>, caller: String) -> Result<Admitted, Refusal> {
        if self.is_stopping() {
            return Err(Refusal::Stopping);
        }
        let maximum = self.config.max_streams_per_caller.max(1);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(caller.clone()).or_default();
        if *count >= maximum {
            return Err(Refusal::TooMany { maximum });
        }
        *count += 1;
        Ok(Admitted {
            hub: self.clone(),
            caller,
        })
    }

    /// A receiver of wake-ups, for one stream; starts the task that sends them if it is not
    /// running.
    pub fn subscribe(self: &Arc<Hub>) -> Wake {
        let mut watching = self.watching.lock().unwrap_or_else(|e| e.into_inner());
        let receiver = self.wake.subscribe();
        if !*watching {
            *watching = true;
            // Taken now, so that a commit made from here on wakes the new stream even if the
            // task has not started yet.
            let commits = self.db.commits();
            tokio::spawn(watch_feed(self.clone(), commits));
        }
        Wake(receiver)
    }

    /// Begins the shutdown: every open stream completes, and new ones are refused.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Completes once the server begins to shut down.
    pub async fn stopped(&self) {
        let mut stopping = self.stopping.subscribe();
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }

    /// How many streams are open, by every caller.
    pub fn open_streams(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .sum()
    }

    fn bump(&self) {
        self.wake
            .send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    /// Whether no stream listens any more, in which case the watching task stops (under the
    /// same lock `subscribe` takes, so a stream that subscribes meanwhile starts a new one).
    fn stop_watching_if_idle(&self) -> bool {
        let mut watching = self.watching.lock().unwrap_or_else(|e| e.into_inner());
        if self.wake.receiver_count() == 0 {
            *watching = false;
            return true;
        }
        false
    }
}

/// A stream's place in its caller's count.
pub struct Admitted {
    hub: Arc<Hub>,
    caller: String,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.hub.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.caller) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.caller);
            }
        }
    }
}

/// The wake-ups of one stream.
pub struct Wake(watch::Receiver<u64>);

impl Wake {
    /// Marks every wake-up so far as seen: call it before reading the feed, so that a commit
    /// after the read wakes `changed` and none before it does.
    pub fn mark_seen(&mut self) {
        self.0.borrow_and_update();
    }

    /// Waits for a wake-up after the last `mark_seen`; false once the hub is gone.
    pub async fn changed(&mut self) -> bool {
        self.0.changed().await.is_ok()
    }
}

/// What the subscription's resolver needs from the request that opened the stream, shared
/// with the endpoint (`server::sse`) that writes its events.
pub struct LiveRequest {
    pub hub: Arc<Hub>,
    /// The cursor of the last event the client received (`Last-Event-ID`): the stream resumes
    /// after it, whatever `after` says.
    pub resume_after: Option<String>,
    /// The `Authorization` header the stream was opened with, checked again before each page
    /// is read: a token revoked or expired meanwhile ends the stream.
    pub credentials: Option<String>,
    /// Told once the subscription stands — its start position read, its wake-ups subscribed —
    /// so that the endpoint answers only then, and a write the client makes after the answer
    /// is always in the stream.
    pub ready: Notify,
    stood: AtomicBool,
    /// The position of the change the stream gave last, for the `id` of the event that
    /// carries it (the response holds only what the client selected).
    sent: Mutex<Option<Id>>,
}

impl LiveRequest {
    pub fn new(
        hub: Arc<Hub>,
        resume_after: Option<String>,
        credentials: Option<String>,
    ) -> LiveRequest {
        LiveRequest {
            hub,
            resume_after,
            credentials,
            ready: Notify::new(),
            stood: AtomicBool::new(false),
            sent: Mutex::new(None),
        }
    }

    /// Says the subscription stands: what the stream gives from now on are its events.
    pub fn stand(&self) {
        self.stood.store(true, Ordering::SeqCst);
        self.ready.notify_one();
    }

    /// Whether the subscription stood: if not, what the stream gave are the errors that kept
    /// it from starting.
    pub fn has_stood(&self) -> bool {
        self.stood.load(Ordering::SeqCst)
    }

    /// Notes the position of the change about to be given.
    pub fn giving(&self, position: Id) {
        *self.sent.lock().unwrap_or_else(|e| e.into_inner()) = Some(position);
    }

    /// The position of the change given last, once: none for a response that carries no
    /// change (an error).
    pub fn take_given(&self) -> Option<Id> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Wakes the streams after each commit in this process, and when a look at the store every
/// `LIVE_POLL_MS` finds the feed's last position moved (a write by another process); stops
/// once no stream listens.
async fn watch_feed(hub: Arc<Hub>, mut commits: watch::Receiver<u64>) {
    let mut tick = tokio::time::interval(hub.config.poll_interval());
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first look always wakes: a stream that started before it may have missed a write
    // made by another process in between.
    let mut head: Option<Option<Id>> = None;
    loop {
        tokio::select! {
            changed = commits.changed() => {
                if changed.is_err() {
                    break;
                }
                hub.bump();
            }
            _ = tick.tick() => {
                if hub.stop_watching_if_idle() {
                    return;
                }
                match persistence::changes::head(&hub.db).await {
                    Ok(now) if head != Some(now) => {
                        head = Some(now);
                        hub.bump();
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "cannot read the change feed's last position"),
                }
            }
        }
    }
    *hub.watching.lock().unwrap_or_else(|e| e.into_inner()) = false;
}
