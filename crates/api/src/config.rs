//! Configuration: command-line flags, each with an environment variable, defaults that let
//! `make run` work bare (an SQLite file under `./data/`).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the directory keeps its data and how it serves it.
#[derive(clap::Args, Clone)]
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
}

impl std::fmt::Debug for Config {
    /// Hides the database URL, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &"[hidden]")
            .field("seed_dir", &self.seed_dir)
            .field("limits", &self.limits)
            .field("tokens", &self.tokens)
            .finish()
    }
}

/// Limits that make abusive requests cheap to refuse.
#[derive(clap::Args, Clone, Debug)]
pub struct Limits {
    /// Deepest selection a query may nest.
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 15)]
    pub max_depth: usize,

    /// Highest complexity (number of fields, weighted) a query may have.
    #[arg(long, env = "MAX_QUERY_COMPLEXITY", default_value_t = 5000)]
    pub max_complexity: usize,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 65536)]
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 15,
            max_complexity: 5000,
            max_body_bytes: 65536,
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
