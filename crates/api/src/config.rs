//! Configuration: command-line flags, each with an environment variable, defaults that let
//! `make run` work bare (an SQLite file under `./data/`).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the directory keeps its data and how it serves it. In `--help`, under a heading of its
/// own after the command's own options, which are what a reader looks for first.
#[derive(clap::Args, Clone)]
#[command(
    next_help_heading = "Configuration (every flag can also be set by its environment variable)"
)]
pub struct Config {
    /// Database URL: `sqlite://path/to/file.sqlite?mode=rwc` or `postgres://user:password@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/directory.sqlite?mode=rwc"
    )]
    pub database_url: String,

    /// Folder of the seed dataset (one TOML file per source document).
    #[arg(long, env = "SEED_DIR", default_value = "seed")]
    pub seed_dir: PathBuf,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub tokens: TokenConfig,

    #[command(flatten)]
    pub rate_limits: RateLimits,

    #[command(flatten)]
    pub http: Http,

    #[command(flatten)]
    pub webhooks: Webhooks,

    #[command(flatten)]
    pub live: Live,

    #[command(flatten)]
    pub cache: Cache,
}

impl std::fmt::Debug for Config {
    /// Hides the database URL, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &"[hidden]")
            .field("seed_dir", &self.seed_dir)
            .field("limits", &self.limits)
            .field("tokens", &self.tokens)
            .field("rate_limits", &self.rate_limits)
            .field("http", &self.http)
            .field("webhooks", &self.webhooks)
            .field("live", &self.live)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Limits that make abusive requests cheap to refuse: each is checked before the query runs.
#[derive(clap::Args, Clone, Debug)]
pub struct Limits {
    /// Largest request body accepted, in bytes (413 above it).
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 65_536)]
    pub max_body_bytes: usize,

    /// Longest query text accepted, in bytes.
    #[arg(long, env = "MAX_QUERY_BYTES", default_value_t = 16_384)]
    pub max_query_bytes: usize,

    /// Deepest selection a query may nest (fragments count as the fields they hold).
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 16)]
    pub max_depth: usize,

    /// Most aliased fields one query may hold.
    #[arg(long, env = "MAX_QUERY_ALIASES", default_value_t = 100)]
    pub max_aliases: usize,

    /// Most directives one query may hold.
    #[arg(long, env = "MAX_QUERY_DIRECTIVES", default_value_t = 50)]
    pub max_directives: usize,

    /// Most fragment spreads one query may hold.
    #[arg(long, env = "MAX_QUERY_FRAGMENT_SPREADS", default_value_t = 100)]
    pub max_fragment_spreads: usize,

    /// Most fields one query may select, counted after fragments are spread.
    #[arg(long, env = "MAX_QUERY_FIELDS", default_value_t = 400)]
    pub max_fields: usize,

    /// Highest cost a query may have: every field costs 1, and a connection costs its page
    /// size (`first`, `last`, or 20) times what each of its records selects.
    #[arg(long, env = "MAX_QUERY_COST", default_value_t = 200_000)]
    pub max_cost: usize,

    /// How long a request may run before it is stopped, in milliseconds.
    #[arg(long, env = "REQUEST_TIMEOUT_MS", default_value_t = 10_000)]
    pub request_timeout_ms: u64,

    /// Most GraphQL requests executed at once; others wait their turn within their timeout.
    /// Bounds the memory answers take under load (default: 4 per CPU core).
    #[arg(long, env = "MAX_CONCURRENT_REQUESTS")]
    pub max_concurrent_requests: Option<usize>,
}

impl Limits {
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.request_timeout_ms)
    }

    /// How many requests execute at once: as configured, or 4 per CPU core. Measured on 2
    /// cores: 64 connections asking for a deep query took 840 MB and answered 25 requests/s
    /// with no bound, 230 MB and 35 requests/s with 8 at a time.
    pub fn concurrent_requests(&self) -> usize {
        self.max_concurrent_requests
            .unwrap_or_else(|| {
                4 * std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
            })
            .max(1)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 65_536,
            max_query_bytes: 16_384,
            max_depth: 16,
            max_aliases: 100,
            max_directives: 50,
            max_fragment_spreads: 100,
            max_fields: 400,
            max_cost: 200_000,
            request_timeout_ms: 10_000,
            max_concurrent_requests: None,
        }
    }
}

/// Connections and browsers: what a client may hold open, for how long, and which web pages
/// may call the API.
#[derive(clap::Args, Clone, Debug)]
pub struct Http {
    /// Most connections open at once; a connection beyond them is closed as soon as it is
    /// accepted. Keep it under the process's open-files limit (`ulimit -n`).
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 4_096)]
    pub max_connections: usize,

    /// Most connections one client address may hold open at once (behind a proxy, the
    /// proxy's address: raise it there).
    #[arg(long, env = "MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256)]
    pub max_connections_per_client: usize,

    /// Time a client has to send a request's headers, counted from the connection's opening
    /// or its previous response: a half-sent request and an idle keep-alive connection are
    /// both closed after it, in milliseconds.
    #[arg(long, env = "HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    pub header_timeout_ms: u64,

    /// Time a client has to send a request's body once its headers are in (408 after it), in
    /// milliseconds.
    #[arg(long, env = "BODY_TIMEOUT_MS", default_value_t = 10_000)]
    pub body_timeout_ms: u64,

    /// Largest request line and headers accepted together, in bytes (431 above it).
    #[arg(long, env = "MAX_HEADER_BYTES", default_value_t = 16_384)]
    pub max_header_bytes: usize,

    /// Web origins whose pages may call the API (CORS), comma-separated, such as
    /// `https://app.example.org,http://localhost:5173`; `*` allows any origin. None by default:
    /// browsers then refuse pages of other origins.
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub cors_allowed_origins: Vec<String>,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            max_connections: 4_096,
            max_connections_per_client: 256,
            header_timeout_ms: 10_000,
            body_timeout_ms: 10_000,
            max_header_bytes: 16_384,
            cors_allowed_origins: Vec::new(),
        }
    }
}

/// Webhook deliveries: where they may go, how often the feed is read for them, and how a
/// failed one is tried again (after `MAX_CONSECUTIVE_FAILURES` failures in a row, 15, the
/// subscription is disabled: about a day and a half with the default schedule).
#[derive(clap::Args, Clone, Debug)]
pub struct Webhooks {
    /// Which URLs a subscription may name: `public-https` (HTTPS to public addresses only,
    /// checked again when the host name is resolved) or `any-host` (also plain HTTP and this
    /// machine's or network's addresses: development and tests only).
    #[arg(long, env = "WEBHOOK_TARGETS", default_value = "public-https", value_parser = ["public-https", "any-host"])]
    pub webhook_targets: String,

    /// How often this process looks for changes to deliver, in milliseconds. Changes written
    /// by this process are delivered without waiting for it.
    #[arg(long, env = "WEBHOOK_POLL_MS", default_value_t = 1_000)]
    pub webhook_poll_ms: u64,

    /// Wait before the first retry of a failed delivery, in milliseconds; it doubles with
    /// each failure in a row, up to WEBHOOK_RETRY_CAP_MS, and is spread by a random 50 to 100 %.
    #[arg(long, env = "WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    pub webhook_retry_base_ms: u64,

    /// Longest wait between two attempts, in milliseconds.
    #[arg(long, env = "WEBHOOK_RETRY_CAP_MS", default_value_t = 6 * 3_600_000)]
    pub webhook_retry_cap_ms: u64,

    /// Time a subscriber has to answer a delivery, in milliseconds.
    #[arg(long, env = "WEBHOOK_TIMEOUT_MS", default_value_t = 10_000)]
    pub webhook_timeout_ms: u64,

    /// How long a process keeps a subscription to itself while delivering, in milliseconds:
    /// if it dies, another process takes the subscription over after this, and sends the
    /// same message again. Longer than WEBHOOK_TIMEOUT_MS.
    #[arg(long, env = "WEBHOOK_LEASE_MS", default_value_t = 60_000)]
    pub webhook_lease_ms: u64,

    /// Most changes one delivery carries.
    #[arg(long, env = "WEBHOOK_BATCH", default_value_t = 100)]
    pub webhook_batch: u32,
}

impl Webhooks {
    /// Which targets subscriptions may name.
    pub fn targets(&self) -> domain::webhook::Targets {
        if self.webhook_targets == "any-host" {
            domain::webhook::Targets::AnyHost
        } else {
            domain::webhook::Targets::PublicHttps
        }
    }
}

impl Default for Webhooks {
    fn default() -> Self {
        Webhooks {
            webhook_targets: "public-https".to_owned(),
            webhook_poll_ms: 1_000,
            webhook_retry_base_ms: 30_000,
            webhook_retry_cap_ms: 6 * 3_600_000,
            webhook_timeout_ms: 10_000,
            webhook_lease_ms: 60_000,
            webhook_batch: 100,
        }
    }
}

/// The change feed served live (`/graphql/stream`): how a stream learns of new changes, how
/// it keeps its connection open, and how many one caller may hold.
#[derive(clap::Args, Clone, Debug)]
pub struct Live {
    /// How often, while streams are open, the server looks at the store for changes committed
    /// by other processes (other servers on the same PostgreSQL database, a command-line
    /// import on SQLite), in milliseconds. Writes made through this server wake its streams at
    /// once.
    #[arg(long, env = "LIVE_POLL_MS", default_value_t = 1_000)]
    pub poll_ms: u64,

    /// How long a stream stays silent before the server sends a keep-alive comment
    /// (`: ping`), so that proxies and clients do not take it for dead, in milliseconds.
    #[arg(long, env = "LIVE_KEEP_ALIVE_MS", default_value_t = 15_000)]
    pub keep_alive_ms: u64,

    /// Most streams one caller may hold open at once: one API token, or one client address
    /// for anonymous callers (429 `RATE_LIMITED` beyond it).
    #[arg(long, env = "MAX_STREAMS_PER_CALLER", default_value_t = 16)]
    pub max_streams_per_caller: usize,
}

impl Live {
    pub fn poll_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.poll_ms.max(10))
    }

    pub fn keep_alive(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.keep_alive_ms.max(10))
    }
}

impl Default for Live {
    fn default() -> Self {
        Live {
            poll_ms: 1_000,
            keep_alive_ms: 15_000,
            max_streams_per_caller: 16,
        }
    }
}

/// Caching: answers to queries kept in memory until a write commits (`response_cache`), and
/// the queries clients registered by their hash (automatic persisted queries).
#[derive(clap::Args, Clone, Debug)]
pub struct Cache {
    /// Keep answers to queries in memory and serve them again until a write commits, in this
    /// process or another (`x-cache: hit` says one was); `false` turns the cache off.
    #[arg(long = "response-cache", env = "RESPONSE_CACHE", default_value_t = true, action = clap::ArgAction::Set)]
    pub enabled: bool,

    /// Most bytes of answers the cache keeps; the least recently used go first.
    #[arg(long = "response-cache-bytes", env = "RESPONSE_CACHE_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub capacity_bytes: usize,

    /// Most bytes of query text kept for automatic persisted queries (queries a client
    /// registered by their SHA-256 hash); the least recently used go first.
    #[arg(long, env = "PERSISTED_QUERIES_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub persisted_queries_bytes: usize,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            enabled: true,
            capacity_bytes: 64 * 1024 * 1024,
            persisted_queries_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Rate limits: a leaky bucket of points per token and per anonymous client address, charged
/// with each query's cost (see MAX_QUERY_COST). A capacity of 0 turns that limit off.
#[derive(clap::Args, Clone, Debug)]
pub struct RateLimits {
    /// Points in a token's bucket: its largest burst.
    #[arg(long, env = "RATE_LIMIT_TOKEN_CAPACITY", default_value_t = 1_000_000)]
    pub token_capacity: u32,

    /// Points a token's bucket regains each second: its sustained rate.
    #[arg(long, env = "RATE_LIMIT_TOKEN_PER_SECOND", default_value_t = 20_000)]
    pub token_per_second: u32,

    /// Points in an anonymous client address's bucket.
    #[arg(long, env = "RATE_LIMIT_ANONYMOUS_CAPACITY", default_value_t = 400_000)]
    pub anonymous_capacity: u32,

    /// Points an anonymous client address's bucket regains each second.
    #[arg(long, env = "RATE_LIMIT_ANONYMOUS_PER_SECOND", default_value_t = 5_000)]
    pub anonymous_per_second: u32,

    /// Take the client address from the last `X-Forwarded-For` entry (set this only behind a
    /// proxy that writes it); otherwise the TCP peer address is the client.
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
}

impl RateLimits {
    pub fn token_policy(&self) -> Option<domain::rate_limit::Policy> {
        (self.token_capacity > 0).then_some(domain::rate_limit::Policy {
            capacity: self.token_capacity,
            leak_per_second: self.token_per_second,
        })
    }

    pub fn anonymous_policy(&self) -> Option<domain::rate_limit::Policy> {
        (self.anonymous_capacity > 0).then_some(domain::rate_limit::Policy {
            capacity: self.anonymous_capacity,
            leak_per_second: self.anonymous_per_second,
        })
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            token_capacity: 1_000_000,
            token_per_second: 20_000,
            anonymous_capacity: 400_000,
            anonymous_per_second: 5_000,
            trust_forwarded_for: false,
        }
    }
}

/// Where `serve` listens.
#[derive(clap::Args, Clone, Debug)]
pub struct Listen {
    /// Address and port to listen on.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

/// How `serve` stops on SIGTERM or SIGINT.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct Shutdown {
    /// How long the server goes on serving after the signal while `/readyz` answers 503, so
    /// that a load balancer stops sending it requests, in milliseconds.
    #[arg(long, env = "SHUTDOWN_GRACE_MS", default_value_t = 2_000)]
    pub grace_ms: u64,

    /// How long requests under way may take to finish after that, in milliseconds.
    #[arg(long, env = "DRAIN_TIMEOUT_MS", default_value_t = 10_000)]
    pub drain_timeout_ms: u64,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            grace_ms: 2_000,
            drain_timeout_ms: 10_000,
        }
    }
}

/// How API tokens are signed and checked.
#[derive(clap::Args, Clone, Default)]
pub struct TokenConfig {
    /// The secret that signs tokens (at least 32 bytes), under the key id `default`.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Several signing keys for rotation: `kid1=secret1,kid2=secret2`; tokens signed with any
    /// of them are accepted.
    #[arg(long, env = "JWT_KEYS", hide_env_values = true)]
    pub jwt_keys: Option<String>,

    /// Which key of JWT_KEYS signs new tokens (the first by default).
    #[arg(long, env = "JWT_SIGNING_KEY_ID")]
    pub jwt_signing_key_id: Option<String>,

    /// A file holding the signing secret, used when neither JWT_SECRET nor JWT_KEYS is set;
    /// created with a random secret on first start.
    #[arg(long, env = "JWT_KEY_FILE", default_value = "data/jwt-secret")]
    pub jwt_key_file: std::path::PathBuf,

    /// The `iss` claim of the tokens this directory issues and accepts.
    #[arg(long, env = "JWT_ISSUER", default_value = "partner-directory")]
    pub jwt_issuer: String,

    /// The `aud` claim of the tokens this directory issues and accepts.
    #[arg(long, env = "JWT_AUDIENCE", default_value = "partner-directory-api")]
    pub jwt_audience: String,
}

impl std::fmt::Debug for TokenConfig {
    /// Hides the secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenConfig")
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "[hidden]"))
            .field("jwt_keys", &self.jwt_keys.as_ref().map(|_| "[hidden]"))
            .field("jwt_signing_key_id", &self.jwt_signing_key_id)
            .field("jwt_key_file", &self.jwt_key_file)
            .field("jwt_issuer", &self.jwt_issuer)
            .field("jwt_audience", &self.jwt_audience)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn requests_execute_four_per_core_unless_configured_and_never_none() {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        assert_eq!(Limits::default().concurrent_requests(), 4 * cores);
        let configured = |n| Limits {
            max_concurrent_requests: Some(n),
            ..Limits::default()
        };
        assert_eq!(configured(3).concurrent_requests(), 3);
        assert_eq!(configured(0).concurrent_requests(), 1);
    }
}
