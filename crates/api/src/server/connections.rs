//! The accept loop: who may hold a connection, for how long, and the drain at shutdown.
//!
//! `axum::serve` accepts every connection and keeps it as long as the client likes: one client
//! holding thousands of idle or half-sent sockets took every file descriptor and stopped the
//! server answering anyone, `/readyz` included. Here a connection is admitted only within
//! `MAX_CONNECTIONS` and `MAX_CONNECTIONS_PER_CLIENT`, and hyper closes it when its client
//! takes longer than `HEADER_TIMEOUT_MS` to send a request's headers (which also ends idle
//! keep-alive connections). The body's own deadline is the handler's (`BODY_TIMEOUT_MS`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;
use tower::ServiceExt as _;

use crate::config::Http;

/// Counts the connections open, in all and per client address.
struct Gate {
    max_total: usize,
    max_per_client: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// A connection's place in the gate, given back when the connection ends.
struct Admitted {
    gate: Arc<Gate>,
    client: IpAddr,
}

impl Gate {
    fn admit(self: &Arc<Gate>, client: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let of_client = open.by_client.get(&client).copied().unwrap_or(0);
        if open.total >= self.max_total || of_client >= self.max_per_client {
            return None;
        }
        open.total += 1;
        open.by_client.insert(client, of_client + 1);
        Some(Admitted {
            gate: self.clone(),
            client,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.gate.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_client.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                open.by_client.remove(&self.client);
            }
        }
    }
}

/// Accepts connections until `stop_accepting` completes, then asks each open connection to
/// finish its request under way and close, and returns once all have.
pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    http: &Http,
    stop_accepting: impl std::future::Future<Output = ()>,
) {
    let gate = Arc::new(Gate {
        max_total: http.max_connections.max(1),
        max_per_client: http.max_connections_per_client.max(1),
        open: Mutex::new(Open::default()),
    });
    let header_timeout = Duration::from_millis(http.header_timeout_ms.max(1));
    // Dropping `closing` tells every connection to close; `open.closed()` completes once
    // every connection has dropped its copy of `open_rx`.
    let (closing, closing_rx) = watch::channel(());
    let (open, open_rx) = watch::channel(());
    let mut stop_accepting = std::pin::pin!(stop_accepting);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop_accepting => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait
                // a moment rather than spin, and go on.
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(admitted) = gate.admit(remote.ip()) else {
            tracing::debug!(client = %remote.ip(), "connection refused: too many open");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(remote));
                request.map(axum::body::Body::new)
            },
        );
        let mut closing_rx = closing_rx.clone();
        let open_rx = open_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closing_rx.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            drop(admitted);
            drop(open_rx);
        });
    }
    drop(listener);
    drop(closing);
    drop(open_rx);
    open.closed().await;
}
