//! `partner-directory`: serve the directory, migrate or seed its database, print its schema.

use std::process::ExitCode;

use api::config::{Config, Listen};
use clap::{Parser, Subcommand};

/// The partner network directory for municipal innovation: a GraphQL API.
#[derive(Parser)]
#[command(name = "partner-directory", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (migrating the database and seeding it when empty).
    Serve {
        #[command(flatten)]
        config: Config,
        #[command(flatten)]
        listen: Listen,
    },
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        config: Config,
    },
    /// Load the seed dataset; documents already loaded are skipped.
    Seed {
        #[command(flatten)]
        config: Config,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse().command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve { config, listen } => {
            let app = api::build(&config).await.map_err(|e| e.to_string())?;
            api::serve(app, listen.listen)
                .await
                .map_err(|e| format!("cannot serve on {}: {e}", listen.listen))
        }
        Command::Migrate { config } => {
            open_migrated(&config).await?;
            eprintln!("migrated");
            Ok(())
        }
        Command::Seed { config } => {
            let db = open_migrated(&config).await?;
            let report = persistence::seed::load_folder(&db, &config.seed_dir)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "loaded {} file(s), skipped {} already loaded",
                report.loaded.len(),
                report.skipped.len()
            );
            Ok(())
        }
        Command::Schema => {
            print!("{}", api::schema::sdl());
            Ok(())
        }
    }
}

/// Opens the configured database and applies pending migrations.
async fn open_migrated(config: &Config) -> Result<persistence::Db, String> {
    let db = persistence::Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate()
        .await
        .map_err(|e| format!("cannot migrate: {e}"))?;
    Ok(db)
}
