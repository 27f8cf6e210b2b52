//! What `/metrics` tells Prometheus: GraphQL requests by operation and outcome, their latency,
//! errors by code, rate-limit refusals, the database pool and the SQL statements run.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use persistence::Db;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// How many distinct operation names get their own label; later ones count as `other`, so a
/// client that names every query differently cannot grow the metrics without bound.
const MAX_OPERATION_NAMES: usize = 100;

/// How a GraphQL request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Data, no error.
    Ok,
    /// Data with field errors.
    Partial,
    /// Refused before it ran: did not parse or validate, or crossed a limit.
    Refused,
    /// Refused by the rate limit.
    RateLimited,
    /// Stopped at its deadline.
    Timeout,
    /// The token was refused.
    Unauthenticated,
    /// The server failed.
    Internal,
    /// The database was out of reach for a moment: answered 503, retryable.
    Unavailable,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Partial => "partial",
            Outcome::Refused => "refused",
            Outcome::RateLimited => "rate_limited",
            Outcome::Timeout => "timeout",
            Outcome::Unauthenticated => "unauthenticated",
            Outcome::Internal => "internal",
            Outcome::Unavailable => "unavailable",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallerLabels {
    caller: &'static str,
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histogram,
    errors: Family<CodeLabels, Counter>,
    rate_limit_refusals: Family<CallerLabels, Counter>,
    operation_names: Mutex<HashSet<String>>,
}

impl Metrics {
    pub fn new(db: Db) -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "directory_graphql_requests",
            "GraphQL requests served, by operation name and outcome",
            requests.clone(),
        );
        let latency = Histogram::new([
            0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ]);
        registry.register(
            "directory_graphql_request_duration_seconds",
            "Time to serve a GraphQL request, from its first byte read to its response",
            latency.clone(),
        );
        let errors = Family::<CodeLabels, Counter>::default();
        registry.register(
            "directory_graphql_errors",
            "GraphQL errors returned, by extensions.code",
            errors.clone(),
        );
        let rate_limit_refusals = Family::<CallerLabels, Counter>::default();
        registry.register(
            "directory_rate_limit_refusals",
            "Queries refused by the rate limit, by kind of caller",
            rate_limit_refusals.clone(),
        );
        registry.register_collector(Box::new(DatabaseCollector(db)));
        Metrics {
            registry,
            requests,
            latency,
            errors,
            rate_limit_refusals,
            operation_names: Mutex::new(HashSet::new()),
        }
    }

    /// Records one GraphQL request.
    pub fn record(
        &self,
        operation: Option<&str>,
        outcome: Outcome,
        elapsed: Duration,
        error_codes: impl IntoIterator<Item = String>,
        anonymous: bool,
    ) {
        // A request refused before it validated may name an operation its document does not
        // hold, or anything at all: only names that passed validation take a label.
        let validated = !matches!(outcome, Outcome::Refused | Outcome::Unauthenticated);
        let operation = self.operation_label(operation, validated);
        self.requests
            .get_or_create(&RequestLabels {
                operation,
                outcome: outcome.as_str(),
            })
            .inc();
        self.latency.observe(elapsed.as_secs_f64());
        for code in error_codes {
            self.errors.get_or_create(&CodeLabels { code }).inc();
        }
        if outcome == Outcome::RateLimited {
            self.rate_limit_refusals
                .get_or_create(&CallerLabels {
                    caller: if anonymous { "anonymous" } else { "token" },
                })
                .inc();
        }
    }

    fn operation_label(&self, operation: Option<&str>, validated: bool) -> String {
        let Some(name) = operation else {
            return "anonymous".to_owned();
        };
        if !validated || !is_graphql_name(name) {
            return "other".to_owned();
        }
        let mut names = self
            .operation_names
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if names.contains(name) {
            return name.to_owned();
        }
        if names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            return name.to_owned();
        }
        "other".to_owned()
    }

    /// The metrics in the OpenMetrics text format.
    ///
    /// Label values need no escaping: operation names are GraphQL names (letters, digits and
    /// underscores) or `other`, and the other labels are our own words.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(%error, "cannot encode the metrics");
        }
        text
    }
}

/// Whether `name` is a GraphQL name (`/[_A-Za-z][_0-9A-Za-z]*/`) of at most 64 characters.
fn is_graphql_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'_' | b'a'..=b'z' | b'A'..=b'Z'))
        && name.len() <= 64
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// Reads the database pool and the statement counter at each scrape.
#[derive(Debug)]
struct DatabaseCollector(Db);

impl Collector for DatabaseCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let statements = ConstCounter::new(self.0.statement_count());
        statements.encode(encoder.encode_descriptor(
            "directory_db_statements",
            "SQL statements run",
            None,
            statements.metric_type(),
        )?)?;
        let pool = self.0.pool_stats();
        let in_use = ConstGauge::new(i64::from(pool.open.saturating_sub(pool.idle)));
        in_use.encode(encoder.encode_descriptor(
            "directory_db_connections_in_use",
            "Database connections running a statement or holding a transaction",
            None,
            in_use.metric_type(),
        )?)?;
        let idle = ConstGauge::new(i64::from(pool.idle));
        idle.encode(encoder.encode_descriptor(
            "directory_db_connections_idle",
            "Open database connections waiting for work",
            None,
            idle.metric_type(),
        )?)?;
        Ok(())
    }
}
