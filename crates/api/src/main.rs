//! `partner-directory`: serve the directory, migrate, seed or import into its database, print
//! its schema.

// The schema's mutation root has grown past the compiler's default depth for laying out the
// futures of its resolvers (a release build of this binary stops with "queries overflow the
// depth limit").
#![recursion_limit = "256"]

mod progress;

/// mimalloc instead of glibc's malloc: a response is thousands of small allocations freed
/// together, where glibc's allocator spent a quarter of the CPU of a nested query.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use api::config::{Config, Listen, Shutdown};
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
        listen: Listen,
        #[command(flatten)]
        shutdown: Shutdown,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
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
    /// Import official data, matched by official code: a second run updates in place.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Generate the benchmark's synthetic layer over the stored cities: a mayor for each,
    /// partnerships and group purchases, all marked `syn-` (run after `import`).
    Generate {
        /// The generator's seed: the same seed gives the same records.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// How many partnerships.
        #[arg(long, default_value_t = 20_000)]
        partnerships: usize,
        /// How many group purchases.
        #[arg(long, default_value_t = 2_000)]
        group_purchases: usize,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
    /// Check the database's integrity (SQLite's `PRAGMA integrity_check`); fails unless ok.
    CheckDatabase {
        #[command(flatten)]
        config: Config,
    },
    /// Export every record of a kind at once — JSON Lines, CSV (RFC 4180), Popolo JSON or an
    /// OCDS release package — read and written a page at a time, as `GET /exports/…` serves
    /// it. Anonymous-public data unless `--token` says whose view to export.
    #[command(after_long_help = api::export::columns_help())]
    Export {
        /// What to export: cities, organisations, people, contact-points, mandates,
        /// memberships, partnerships, partnership-parties, group-purchases, participations;
        /// or `popolo` for the whole Popolo document.
        kind: String,
        /// How to write it: jsonl, csv, popolo (people, organisations, cities, mandates,
        /// memberships) or ocds (group-purchases). Default: jsonl; popolo for `popolo`.
        #[arg(long)]
        format: Option<String>,
        /// Write to this file (whole or not at all: through a `.partial` file renamed at the
        /// end) instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Export what this API token sees (drafts it may see, contact details) instead of
        /// the public directory.
        #[arg(long, env = "EXPORT_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// The URI an OCDS release package names itself by: where it is published.
        #[arg(
            long,
            default_value = "http://127.0.0.1:8080/exports/group-purchases.ocds.json"
        )]
        package_uri: String,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Issue or revoke API tokens from the command line (the first admin token, say).
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// The French administrative data set (Etalab's découpage administratif): communes as
    /// cities, municipal arrondissements as boroughs, EPCI and EPT with their member communes.
    Etalab {
        /// The folder holding communes.json, epci.json and ept.json.
        dir: PathBuf,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
    /// Cities or organisations from a CSV file (its columns are in the README).
    Csv {
        /// What the file holds.
        kind: CsvKind,
        /// The CSV file, with a header row.
        file: PathBuf,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CsvKind {
    Cities,
    Organisations,
}

#[derive(Subcommand)]
enum TokenAction {
    /// Issue a token and print it once on standard output.
    Issue {
        /// A name that says who uses the token and why.
        #[arg(long)]
        name: String,
        /// What it allows: partner, editor or admin.
        #[arg(long)]
        role: String,
        /// For a partner token, the slug of the organisation it acts for.
        #[arg(long)]
        organisation: Option<String>,
        /// How many days it lives.
        #[arg(long, default_value_t = 90)]
        days: i64,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
    /// Revoke a token by its id (`jti`).
    Revoke {
        /// The token's `jti`, as `apiTokens` lists it.
        #[arg(long)]
        jti: String,
        // Last: its flags come under their own heading, after this command's own options.
        #[command(flatten)]
        config: Config,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logs();
    match run(Cli::parse().command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard error: readable lines on a terminal, one JSON object per line otherwise
/// (for a log collector), each with the request id of the request it belongs to.
fn init_logs() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::io::stderr().is_terminal() {
        logs.init();
    } else {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve {
            config,
            listen,
            shutdown,
        } => {
            // Bound before anything else: a port in use is the first error, not the last.
            let listener = tokio::net::TcpListener::bind(listen.listen)
                .await
                .map_err(|e| format!("cannot serve on {}: {e}", listen.listen))?;
            let address = listener
                .local_addr()
                .map_err(|e| format!("cannot serve on {}: {e}", listen.listen))?;
            let app = api::build(&config).await.map_err(|e| e.to_string())?;
            // One line on standard output (logs go to standard error), with the port the
            // system chose for `LISTEN_ADDR=127.0.0.1:0`: what a script that starts the server
            // reads to find it.
            println!("serving on http://{address}");
            api::serve(app, listener, shutdown)
                .await
                .map_err(|e| format!("cannot serve on {address}: {e}"))
        }
        Command::Migrate { config } => {
            open_migrated(&config).await?;
            eprintln!("migrated");
            Ok(())
        }
        Command::Seed { config } => {
            let db = open_migrated(&config).await?;
            let summary = persistence::seed::load_folder(&db, &config.seed_dir)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "loaded {} file(s), skipped {} already loaded",
                summary.loaded.len(),
                summary.skipped.len()
            );
            Ok(())
        }
        Command::Import { source } => {
            let started = std::time::Instant::now();
            let mut shown = progress::Shown::on_stderr();
            let summary = match source {
                ImportSource::Etalab { config, dir } => {
                    let db = api::server::open_seeded(&config)
                        .await
                        .map_err(|e| e.to_string())?;
                    dataset::etalab::import(&db, &dir, &mut shown).await
                }
                ImportSource::Csv { config, kind, file } => {
                    let db = api::server::open_seeded(&config)
                        .await
                        .map_err(|e| e.to_string())?;
                    match kind {
                        CsvKind::Cities => {
                            dataset::csv::import_cities(&db, &file, &mut shown).await
                        }
                        CsvKind::Organisations => {
                            dataset::csv::import_organisations(&db, &file, &mut shown).await
                        }
                    }
                }
            }
            .map_err(|e| format!("import stopped: {e}"))?;
            print!("{summary}");
            println!("took {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Generate {
            config,
            seed,
            partnerships,
            group_purchases,
        } => {
            let started = std::time::Instant::now();
            let db = api::server::open_seeded(&config)
                .await
                .map_err(|e| e.to_string())?;
            let sizes = dataset::synthetic::Sizes {
                partnerships,
                group_purchases,
            };
            let generated =
                dataset::synthetic::generate(&db, seed, sizes, &mut progress::Shown::on_stderr())
                    .await
                    .map_err(|e| format!("generate stopped: {e}"))?;
            println!(
                "generated {} mayors, {} partnerships, {} group purchases in {:.1} s",
                generated.mayors,
                generated.partnerships,
                generated.group_purchases,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::CheckDatabase { config } => {
            let db = persistence::Db::connect(&config.database_url)
                .await
                .map_err(|e| format!("cannot open the database: {e}"))?;
            let report = db.integrity_check().await.map_err(|e| e.to_string())?;
            println!("{}", report.join("\n"));
            if report == ["ok"] {
                Ok(())
            } else {
                Err("the database is damaged".to_owned())
            }
        }
        Command::Schema => {
            print!("{}", api::schema::sdl());
            Ok(())
        }
        Command::Export {
            kind,
            format,
            output,
            token,
            package_uri,
            config,
        } => {
            let started = std::time::Instant::now();
            let document = export_document(&kind, format.as_deref(), &package_uri)?;
            let db = open_migrated(&config).await?;
            let caller = match token {
                Some(token) => {
                    let keys = api::token::TokenKeys::from_config(&config.tokens)
                        .map_err(|e| e.to_string())?;
                    let actor = api::token::authenticate(&db, &keys, &format!("Bearer {token}"))
                        .await
                        .map_err(|e| format!("--token: {e}"))?;
                    api::auth::Caller::Token(actor)
                }
                None => api::auth::Caller::Anonymous,
            };
            let position = persistence::changes::position(&db, &document.reads())
                .await
                .map_err(|e| e.to_string())?;
            let published = position.at.unwrap_or_else(chrono::Utc::now);
            let viewer = api::export::Viewer::of(&caller);
            let mut export = api::export::Export::new(db, &document, viewer, published);
            let bytes = match &output {
                Some(path) => export_to_file(&mut export, path).await?,
                None => {
                    let stdout = std::io::stdout();
                    write_export(&mut export, &mut stdout.lock()).await?
                }
            };
            eprintln!(
                "exported {} ({bytes} bytes) in {:.2} s",
                document.file_name(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Token {
            action:
                TokenAction::Issue {
                    config,
                    name,
                    role,
                    organisation,
                    days,
                },
        } => {
            let role: domain::access::Role = role
                .parse()
                .map_err(|e| format!("--role: {e} (partner, editor or admin)"))?;
            let keys =
                api::token::TokenKeys::from_config(&config.tokens).map_err(|e| e.to_string())?;
            let db = open_migrated(&config).await?;
            let organisation_id = match organisation {
                Some(slug) => Some(
                    persistence::by_slug::<domain::organisation::Organisation>(&db, &slug)
                        .await
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| {
                            format!("--organisation: no organisation has the slug {slug:?}")
                        })?
                        .id,
                ),
                None => None,
            };
            let request = api::token::TokenRequest {
                name,
                role,
                organisation_id,
                days,
            };
            let (token, signed) = api::token::issue(
                &db,
                &keys,
                domain::access::Actor::operator(persistence::audit::COMMAND_LINE),
                request,
            )
            .await
            .map_err(|e| e.to_string())?;
            eprintln!(
                "issued token {} ({}), expires {}; it is shown once:",
                token.jti, token.role, token.expires_at
            );
            println!("{signed}");
            Ok(())
        }
        Command::Token {
            action: TokenAction::Revoke { config, jti },
        } => {
            let db = open_migrated(&config).await?;
            match persistence::token::revoke_jti(&db, &jti)
                .await
                .map_err(|e| e.to_string())?
            {
                Some(token) => {
                    eprintln!("revoked token {} ({})", token.jti, token.name);
                    Ok(())
                }
                None => Err(format!("no token has the jti {jti:?}")),
            }
        }
    }
}

/// The export `partner-directory export KIND --format FORMAT` names.
fn export_document(
    kind: &str,
    format: Option<&str>,
    package_uri: &str,
) -> Result<api::export::Document, String> {
    use api::export::{Document, ExportError, Format, Kind};
    if kind == "popolo" && format.is_none_or(|format| format == "popolo") {
        return Ok(Document::popolo());
    }
    let format = match format {
        Some(name) => Format::named(name).ok_or_else(|| {
            ExportError::UnknownFormat {
                name: name.to_owned(),
            }
            .to_string()
        })?,
        None => Format::Jsonl,
    };
    let kind = Kind::named(kind).ok_or_else(|| {
        format!(
            "no kind is named {kind:?}: {}, or popolo",
            Kind::known_names().join(", ")
        )
    })?;
    Document::of(kind, format, package_uri).map_err(|e| e.to_string())
}

/// Writes the export's chunks as they come; the number of bytes written.
async fn write_export(
    export: &mut api::export::Export,
    out: &mut impl std::io::Write,
) -> Result<u64, String> {
    let mut written = 0;
    while let Some(chunk) = export
        .next_chunk()
        .await
        .map_err(|e| format!("export stopped: {e}"))?
    {
        out.write_all(&chunk)
            .map_err(|e| format!("cannot write the export: {e}"))?;
        written += chunk.len() as u64;
    }
    out.flush()
        .map_err(|e| format!("cannot write the export: {e}"))?;
    Ok(written)
}

/// Writes the export to `path` through `path.partial`, renamed once whole: a reader of `path`
/// never sees half an export.
async fn export_to_file(
    export: &mut api::export::Export,
    path: &std::path::Path,
) -> Result<u64, String> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = std::fs::File::create(&partial)
        .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    match write_export(export, &mut out).await {
        Ok(written) => {
            drop(out);
            std::fs::rename(&partial, path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(written)
        }
        Err(error) => {
            drop(out);
            let _ = std::fs::remove_file(&partial);
            Err(error)
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// The help of `partner-directory <path…>`.
    fn help(path: &[&str]) -> String {
        let mut command = Cli::command();
        let mut current = &mut command;
        for name in path {
            current = current
                .find_subcommand_mut(name)
                .unwrap_or_else(|| panic!("no subcommand {name}"));
        }
        current.render_help().to_string()
    }

    #[test]
    fn each_subcommand_shows_its_own_options_before_the_configuration() {
        for (path, own) in [
            (
                &["token", "issue"][..],
                &["--name", "--role", "--organisation", "--days"][..],
            ),
            (&["token", "revoke"], &["--jti"]),
            (&["serve"], &["--listen"]),
            (
                &["export"],
                &["--format", "--output", "--token", "--package-uri"],
            ),
            (
                &["generate"],
                &["--seed", "--partnerships", "--group-purchases"],
            ),
        ] {
            let help = help(path);
            let at = |flag: &str| {
                help.find(&format!("  {flag} "))
                    .or_else(|| help.find(&format!("  {flag}\n")))
                    .unwrap_or_else(|| panic!("{path:?} lists {flag}:\n{help}"))
            };
            let configuration = help
                .find("Configuration (")
                .unwrap_or_else(|| panic!("{path:?} has a configuration heading:\n{help}"));
            assert!(configuration < at("--database-url"), "{help}");
            for flag in own {
                assert!(at(flag) < configuration, "{path:?}: {flag} first:\n{help}");
            }
        }
    }
}
