//! `bench`: the benchmark behind `make bench` (see `scripts/bench` and docs/benchmarks.md).
//!
//! `bench run` imports the dataset on each store, serves it with the release binary and loads
//! each standard query with wrk, then PostGraphile and the baselines; `bench baselines` is the
//! baselines' server, which `bench run` starts itself.

mod baselines;
mod memory_schema;
mod process;
mod report;
mod run;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole benchmark and write the report.
    Run {
        /// The release build of partner-directory.
        #[arg(long, default_value = "target/release/partner-directory")]
        binary: PathBuf,
        /// The French administrative data set.
        #[arg(long, default_value = "../shared/data/etalab")]
        etalab: PathBuf,
        /// A scratch folder (emptied first): databases, captured answers, logs.
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        /// An empty PostgreSQL database to import into; without it, SQLite only.
        #[arg(long)]
        postgres_url: Option<String>,
        /// The folder where PostGraphile is installed (tools/bench/postgraphile).
        #[arg(long)]
        postgraphile: Option<PathBuf>,
        /// Seconds per wrk run.
        #[arg(long, default_value_t = 5)]
        seconds: u32,
        /// Runs per measurement (the best is kept).
        #[arg(long, default_value_t = 2)]
        repeats: u32,
        /// Connection counts, comma-separated.
        #[arg(long, default_value = "1,16,64", value_delimiter = ',')]
        connections: Vec<u32>,
        /// Where the report goes.
        #[arg(long, default_value = "docs/benchmarks.md")]
        out: PathBuf,
    },
    /// Serve the plain and in-memory baselines of captured answers (started by `run`).
    Baselines {
        /// A folder of captured answers, `<query>.json`.
        #[arg(long)]
        captured: PathBuf,
        #[arg(long)]
        listen: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Run {
            binary,
            etalab,
            work,
            postgres_url,
            postgraphile,
            seconds,
            repeats,
            connections,
            out,
        } => {
            run::run(run::Options {
                binary,
                etalab,
                work,
                postgres_url,
                postgraphile,
                seconds,
                repeats,
                connections,
                out,
            })
            .await
        }
        Command::Baselines { captured, listen } => baselines::serve(&captured, &listen).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}
