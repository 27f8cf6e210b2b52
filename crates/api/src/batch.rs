//! Runs a request's DataLoader batches on the request's own task, when its resolvers can make
//! no more progress.
//!
//! async-graphql's DataLoader waits a fixed delay for keys and then loads on a spawned task.
//! On a multi-threaded runtime that task may fire while the resolvers of a list are still
//! registering keys, so one relation of 50 parents can cost several statements (measured: a
//! nested query over 50 cities ran 80 to 137 statements instead of 19). Here the batches are
//! queued instead of spawned, and polled only after the query has gone as far as it can: every
//! key a level can ask for is in the batch before it runs, whatever the machine's load.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use async_graphql::dataloader::DataLoader;
use async_graphql::futures_util::future::BoxFuture;
use async_graphql::futures_util::stream::{FuturesUnordered, Stream, StreamExt};

use crate::loader::Loaders;

/// Batches a request's DataLoader has asked to run.
#[derive(Clone, Default)]
pub struct BatchQueue(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

impl BatchQueue {
    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        match self.0.lock() {
            Ok(mut queue) => std::mem::take(&mut *queue),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

/// A DataLoader for one request whose batches go to the returned queue.
pub fn request_loader(loaders: Loaders) -> (DataLoader<Loaders>, BatchQueue) {
    let queue = BatchQueue::default();
    let sink = queue.clone();
    let loader = DataLoader::new(loaders, move |batch: BoxFuture<'static, ()>| {
        if let Ok(mut queue) = sink.0.lock() {
            queue.push(batch);
        }
    })
    .delay(Duration::ZERO);
    (loader, queue)
}

/// Drives `work` to completion, running the queued batches whenever it waits.
///
/// async-graphql resolves the items of a list a few at a time: a `FuturesUnordered` yields to
/// the executor after children that woke themselves, so keys arrive over several polls. The
/// work is polled again at once while it wakes itself, and the batches run only when it waits
/// on them, one round at a time.
pub async fn drive<T>(work: impl Future<Output = T>, queue: BatchQueue) -> T {
    let mut work = std::pin::pin!(work);
    let mut driver = Driver::new(queue);
    std::future::poll_fn(move |cx| driver.poll(cx, |cx| work.as_mut().poll(cx))).await
}

/// A stream of responses (a subscription's) whose batches run whenever it waits, as `drive`
/// runs a request's: each item is resolved with one statement per level, and a stream that
/// waits for the next change runs nothing.
pub fn drive_stream<S>(stream: S, queue: BatchQueue) -> impl Stream<Item = S::Item> + Send
where
    S: Stream + Send + Unpin,
{
    let mut stream = stream;
    let mut driver = Driver::new(queue);
    async_graphql::futures_util::stream::poll_fn(move |cx| {
        driver.poll(cx, |cx| stream.poll_next_unpin(cx))
    })
}

/// The batches under way for one request, and those it queued.
struct Driver {
    queue: BatchQueue,
    batches: FuturesUnordered<BoxFuture<'static, ()>>,
}

impl Driver {
    fn new(queue: BatchQueue) -> Driver {
        Driver {
            queue,
            batches: FuturesUnordered::new(),
        }
    }

    /// Polls the work (`poll_work`) until it is ready or waits for something other than its
    /// own batches.
    fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut poll_work: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        /// Consecutive polls of work that keeps waking itself before batches run anyway.
        const MAX_EAGER_POLLS: usize = 256;

        let mut eager_polls = 0;
        loop {
            let flag = Arc::new(WakeFlag {
                inner: cx.waker().clone(),
                woken: AtomicBool::new(false),
            });
            let waker = Waker::from(flag.clone());
            if let Poll::Ready(output) = poll_work(&mut Context::from_waker(&waker)) {
                return Poll::Ready(output);
            }
            if flag.woken.load(Ordering::Acquire) && eager_polls < MAX_EAGER_POLLS {
                eager_polls += 1;
                continue;
            }
            eager_polls = 0;
            // New batches start only once every running batch is done, so the keys that
            // arrive while one finishes before another join one batch: a relation costs one
            // statement per level whichever batch the database answers first.
            let queued = if self.batches.is_empty() {
                self.queue.take()
            } else {
                Vec::new()
            };
            let started = !queued.is_empty();
            self.batches.extend(queued);
            while let Poll::Ready(Some(())) = self.batches.poll_next_unpin(cx) {}
            // A batch that finished at once may have woken resolvers: poll the work again.
            if !started {
                return Poll::Pending;
            }
        }
    }
}

/// A waker that remembers it was woken, and passes the wake on.
struct WakeFlag {
    inner: Waker,
    woken: AtomicBool,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.inner.wake_by_ref();
    }
}
