//! Delivery latency of the live change feed: the time from a write unit's commit to the
//! arrival of its change as a `next` event at a client of `/graphql/stream`, in the same
//! process as the server (so the write wakes the stream through `Db::commits`, not the poll).
//!
//! `cargo run -p tests --example live_latency [-- WRITES]` (200 writes by default) prints the
//! median, the 99th percentile and the extremes. A measurement, not a test: no machine's
//! timing is asserted anywhere. The time is taken when `Db::write` returns, a little after
//! the commit itself, so a change can arrive "before" it (a negative latency).

use std::time::{Duration, Instant};

use serde_json::json;
use tests::TestApp;

#[tokio::main]
async fn main() {
    let writes: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let app = TestApp::spawn().await;
    let mut stream = app
        .subscribe(
            None,
            r#"subscription { changes(filter: { kinds: ["City"] }) { cursor node { recordId action } } }"#,
            json!({}),
            None,
        )
        .await;
    assert_eq!(stream.status, 200);
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(event) = stream.next_event().await {
            if arrivals.send((Instant::now(), event)).is_err() {
                return;
            }
        }
    });

    let db = app.db().clone();
    let namur = persistence::by_slug::<domain::city::City>(&db, "namur")
        .await
        .expect("lookup")
        .expect("namur is in the seed");
    let mut version = namur.stamp.version;
    let mut latencies: Vec<f64> = Vec::with_capacity(writes);
    for n in 0..writes {
        let fields = persistence::city::CityFields {
            population: Some(100_000 + n as i64),
            ..Default::default()
        };
        let actor = domain::access::Actor::operator("live latency");
        let city = db
            .write(actor, |unit| {
                Box::pin(persistence::update(unit, namur.id, version, fields))
            })
            .await
            .expect("the write commits");
        let committed = Instant::now();
        version = city.stamp.version;
        let (at, event) = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
            .await
            .expect("the change arrives")
            .expect("the stream is open");
        assert_eq!(event.event, "next", "{event:?}");
        let micros = if at >= committed {
            (at - committed).as_secs_f64()
        } else {
            -(committed - at).as_secs_f64()
        } * 1e6;
        latencies.push(micros);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile).round() as usize];
    println!(
        "{writes} writes, commit → event received (µs): median {:.0}, p99 {:.0}, min {:.0}, max {:.0}",
        at(0.5),
        at(0.99),
        latencies[0],
        latencies[latencies.len() - 1]
    );
}
