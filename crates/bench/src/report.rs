//! The benchmark's report: Markdown tables for docs/benchmarks.md, a summary for the terminal,
//! and each target of the issue with the figure reached.

use std::fmt::Write;
use std::time::Duration;

use crate::run::{Options, QUERIES};
use crate::wrk::Load;

/// The runs of one target at each connection count, best first.
#[derive(Debug, Default, Clone)]
pub struct Figures {
    pub by_connections: Vec<(u32, Vec<Load>)>,
}

impl Figures {
    /// The best run at `connections`.
    pub fn best(&self, connections: u32) -> Option<Load> {
        self.by_connections
            .iter()
            .find(|(c, _)| *c == connections)
            .and_then(|(_, runs)| runs.first().copied())
    }
}

/// One query measured on one target.
#[derive(Debug, Clone)]
pub struct Measured {
    pub query: &'static str,
    /// SQL statements per request (ours only).
    pub statements: Option<f64>,
    pub figures: Figures,
}

/// Our server on one store.
pub struct StoreRun {
    pub store: &'static str,
    pub import: Duration,
    pub generate: Duration,
    pub measured: Vec<Measured>,
    /// The same queries with the response cache on, at 16 connections.
    pub cached: Vec<Measured>,
    pub rss_idle: f64,
    pub rss_peak: f64,
    /// Per query: each statement with its plan.
    pub plans: Vec<(&'static str, Vec<(String, String)>)>,
}

/// Everything one run measured.
pub struct BenchmarkReport {
    date: String,
    machine: String,
    seconds: u32,
    repeats: u32,
    connections: Vec<u32>,
    pub noise_before: f64,
    pub noise_after: f64,
    pub stores: Vec<StoreRun>,
    /// PostGraphile in each configuration measured: its label and its figures.
    pub postgraphile: Vec<(String, Vec<Measured>)>,
    pub plain: Vec<Measured>,
    pub memory: Vec<Measured>,
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("MemTotal:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cores} cores ({cpu}), {memory:.0} GiB of memory")
}

fn title(query: &str) -> &'static str {
    QUERIES
        .iter()
        .find(|q| q.name == query)
        .map_or("", |q| q.title)
}

fn find<'a>(measured: &'a [Measured], query: &str) -> Option<&'a Measured> {
    measured.iter().find(|m| m.query == query)
}

fn rps(measured: Option<&Measured>, connections: u32) -> Option<f64> {
    measured
        .and_then(|m| m.figures.best(connections))
        .map(|load| load.requests_per_second)
}

/// PostGraphile's better rate for `query` at `connections`, over every configuration.
fn best_postgraphile(
    configurations: &[(String, Vec<Measured>)],
    query: &str,
    connections: u32,
) -> Option<f64> {
    configurations
        .iter()
        .filter_map(|(_, measured)| rps(find(measured, query), connections))
        .reduce(f64::max)
}

fn ratio(ours: Option<f64>, theirs: Option<f64>) -> String {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) if theirs > 0.0 => format!("{:.2}×", ours / theirs),
        _ => "—".to_owned(),
    }
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

impl BenchmarkReport {
    pub fn new(options: &Options) -> BenchmarkReport {
        BenchmarkReport {
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            machine: machine(),
            seconds: options.seconds,
            repeats: options.repeats,
            connections: options.connections.clone(),
            noise_before: 0.0,
            noise_after: 0.0,
            stores: Vec::new(),
            postgraphile: Vec::new(),
            plain: Vec::new(),
            memory: Vec::new(),
        }
    }

    /// A table of requests/s and latencies per query and connection count.
    fn load_table(&self, out: &mut String, measured: &[Measured], with_statements: bool) {
        let mut header = String::from("| query |");
        let mut rule = String::from("|---|");
        if with_statements {
            header.push_str(" SQL statements per request |");
            rule.push_str("---:|");
        }
        for c in &self.connections {
            let _ = write!(header, " req/s at {c} | p50 / p99 ms at {c} |");
            rule.push_str("---:|---:|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for m in measured {
            let _ = write!(out, "| {} |", title(m.query));
            if with_statements {
                let _ = write!(
                    out,
                    " {} |",
                    m.statements.map_or("—".to_owned(), |s| format!("{s:.0}"))
                );
            }
            for c in &self.connections {
                match m.figures.by_connections.iter().find(|(n, _)| n == c) {
                    Some((_, runs)) if !runs.is_empty() => {
                        let best = runs[0];
                        let others: Vec<String> = runs[1..]
                            .iter()
                            .map(|r| format!("{:.0}", r.requests_per_second))
                            .collect();
                        let others = if others.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", others.join(", "))
                        };
                        let _ = write!(
                            out,
                            " {:.0}{others} | {:.2} / {:.2} |",
                            best.requests_per_second, best.p50_ms, best.p99_ms
                        );
                    }
                    _ => out.push_str(" — | — |"),
                }
            }
            out.push('\n');
        }
    }

    /// The targets of the issue, each with the figure reached.
    fn targets(&self) -> Vec<(String, String, bool)> {
        let mut targets = Vec::new();
        for store in &self.stores {
            let limit = if store.store == "SQLite" { 15.0 } else { 30.0 };
            let seconds = store.import.as_secs_f64();
            targets.push((
                format!(
                    "Import of the whole data set on {} under {limit:.0} s",
                    store.store
                ),
                format!("{seconds:.1} s"),
                seconds < limit,
            ));
            targets.push((
                format!("RSS under 100 MB idle on {}", store.store),
                format!("{:.0} MB", store.rss_idle),
                store.rss_idle < 100.0,
            ));
            targets.push((
                format!("RSS under 250 MB at 64 connections on {}", store.store),
                format!("{:.0} MB (peak)", store.rss_peak),
                store.rss_peak < 250.0,
            ));
            if let Some(search) = find(&store.measured, "b-search").and_then(|m| m.figures.best(1))
            {
                targets.push((
                    format!("Search p50 under 2 ms at 1 connection on {}", store.store),
                    format!("{:.2} ms", search.p50_ms),
                    search.p50_ms < 2.0,
                ));
            }
            for m in &store.measured {
                let memory = rps(find(&self.memory, m.query), 16);
                let ours = rps(Some(m), 16);
                if let (Some(ours), Some(memory)) = (ours, memory) {
                    targets.push((
                        format!(
                            "{} on {}: ≥ 40 % of the in-memory schema at 16 connections",
                            title(m.query),
                            store.store
                        ),
                        format!("{:.0} %", 100.0 * ours / memory),
                        ours >= 0.4 * memory,
                    ));
                }
            }
        }
        for store in &self.stores {
            for query in ["a-city-by-slug", "b-search", "c-list", "f-members"] {
                let cached = rps(find(&store.cached, query), 16);
                let plain = rps(find(&self.plain, query), 16);
                if let (Some(cached), Some(plain)) = (cached, plain) {
                    targets.push((
                        format!(
                            "{} on {}, cache on: ≥ 50 % of the plain handler at 16 connections",
                            title(query),
                            store.store
                        ),
                        format!("{:.0} %", 100.0 * cached / plain),
                        cached >= 0.5 * plain,
                    ));
                }
            }
            for query in ["d-nested", "e-partnerships"] {
                let cached = rps(find(&store.cached, query), 16);
                let off = rps(find(&store.measured, query), 16);
                if let (Some(cached), Some(off)) = (cached, off) {
                    targets.push((
                        format!(
                            "{} on {}, cache on: ≥ 5× cache off at 16 connections",
                            title(query),
                            store.store
                        ),
                        format!("{:.1}×", cached / off),
                        cached >= 5.0 * off,
                    ));
                }
            }
            if let Some(load) = find(&store.measured, "g-peers").and_then(|m| m.figures.best(16)) {
                targets.push((
                    format!(
                        "{} p99 under 20 ms at 16 connections on {}, cache off",
                        title("g-peers"),
                        store.store
                    ),
                    format!("{:.2} ms", load.p99_ms),
                    load.p99_ms < 20.0,
                ));
            }
        }
        if let Some(postgres) = self.stores.iter().find(|s| s.store == "PostgreSQL")
            && !self.postgraphile.is_empty()
        {
            for (query, wanted) in [
                ("a-city-by-slug", 2.0),
                ("c-list", 2.0),
                ("d-nested", 2.0),
                ("e-partnerships", 1.5),
            ] {
                let ours = rps(find(&postgres.measured, query), 16);
                let theirs = best_postgraphile(&self.postgraphile, query, 16);
                if let (Some(ours), Some(theirs)) = (ours, theirs) {
                    targets.push((
                        format!(
                            "{} ≥ {wanted}× PostGraphile at its best at 16 connections, cache off",
                            title(query)
                        ),
                        format!("{:.2}×", ours / theirs),
                        ours >= wanted * theirs,
                    ));
                }
            }
            for query in QUERIES.iter().filter(|q| q.postgraphile) {
                let ours = rps(find(&postgres.measured, query.name), 1);
                let theirs = best_postgraphile(&self.postgraphile, query.name, 1);
                if let (Some(ours), Some(theirs)) = (ours, theirs) {
                    targets.push((
                        format!(
                            "{} no slower than PostGraphile at its best at 1 connection, cache off",
                            query.title
                        ),
                        format!("{:.2}×", ours / theirs),
                        ours >= theirs,
                    ));
                }
            }
            for query in ["a-city-by-slug", "c-list"] {
                if let Some(load) = find(&postgres.measured, query).and_then(|m| m.figures.best(16))
                {
                    targets.push((
                        format!(
                            "{} p99 ≤ 10 ms at 16 connections on PostgreSQL",
                            title(query)
                        ),
                        format!("{:.2} ms", load.p99_ms),
                        load.p99_ms <= 10.0,
                    ));
                }
            }
        }
        targets
    }

    /// The report for docs/benchmarks.md.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Benchmarks\n\nWritten by `make bench` on {}, on {}. Do not edit by hand: run `make bench`.\n",
            self.date, self.machine
        );
        let _ = writeln!(
            out,
            "## How to read it\n\n\
            Every figure comes from the same run on the same machine, one target after the other. \
            Load comes from `wrk` (one Lua script per query in `tools/bench/wrk/`, which counts any \
            answer that is not a 200 without `errors` as failed: a run with a failure stops the \
            benchmark). Each cell is the best of {} runs of {} s, the other runs in brackets; \
            latencies are those of the best run. The machine is shared: figures move by ±15 % \
            between runs, so compare ratios within this run, not with another run. The plain \
            handler's rate for a tiny answer, at the start and at the end of the run, tells whether \
            the machine was quiet: {:.0} and {:.0} req/s here (a run where the second is far below \
            the first should be discarded).\n\n\
            The dataset is the French administrative data set (34,969 communes, 45 arrondissements, \
            1,266 intercommunal bodies, 35,000 memberships) imported with `partner-directory import \
            etalab`, plus the synthetic layer of `partner-directory generate` (a mayor per city, \
            20,000 partnerships, 2,000 group purchases). The queries are in `tools/bench/queries/`, \
            PostGraphile's equivalents in `tools/bench/postgraphile/queries/` (each says how it \
            differs). Rate limits are off while measuring: they would measure the limiter.\n\n\
            PostGraphile runs twice: its CLI in one Node process, and a Node cluster of one worker \
            per core (`tools/bench/postgraphile/cluster.mjs`), as its documentation advises for \
            production; ours is compared with the better of the two in each cell. Our server's \
            tables are measured with its response cache off (every request runs its query); a \
            second pass at 16 connections measures it with the cache on, the same query repeated.\n",
            self.repeats, self.seconds, self.noise_before, self.noise_after
        );
        let _ = writeln!(out, "## Targets\n\n| target | reached | |\n|---|---:|---|");
        for (target, figure, met) in self.targets() {
            let _ = writeln!(out, "| {target} | {figure} | {} |", verdict(met));
        }
        let _ = writeln!(
            out,
            "\n## Import\n\n| store | import etalab | generate |\n|---|---:|---:|"
        );
        for store in &self.stores {
            let _ = writeln!(
                out,
                "| {} | {:.1} s | {:.1} s |",
                store.store,
                store.import.as_secs_f64(),
                store.generate.as_secs_f64()
            );
        }
        for store in &self.stores {
            let _ = writeln!(out, "\n## Our server on {}\n", store.store);
            self.load_table(&mut out, &store.measured, true);
            let _ = writeln!(
                out,
                "\nResident memory: {:.0} MB idle with the dataset served, {:.0} MB at its peak under load (the cached runs included).",
                store.rss_idle, store.rss_peak
            );
            if !store.cached.is_empty() {
                let _ = writeln!(
                    out,
                    "\nWith the response cache on (the same query repeated, so every answer but \
                    the first is served from memory), at 16 connections:\n\n\
                    | query | req/s | p50 / p99 ms | cache on / off | cache on / plain handler |\n\
                    |---|---:|---:|---:|---:|"
                );
                for m in &store.cached {
                    let Some(load) = m.figures.best(16) else {
                        continue;
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {:.0} | {:.2} / {:.2} | {} | {} |",
                        title(m.query),
                        load.requests_per_second,
                        load.p50_ms,
                        load.p99_ms,
                        ratio(
                            Some(load.requests_per_second),
                            rps(find(&store.measured, m.query), 16)
                        ),
                        ratio(
                            Some(load.requests_per_second),
                            rps(find(&self.plain, m.query), 16)
                        ),
                    );
                }
            }
        }
        for (label, measured) in &self.postgraphile {
            let _ = writeln!(
                out,
                "\n## PostGraphile v5 (amber preset, GRAPHILE_ENV=production), {label}, on the same PostgreSQL database\n"
            );
            self.load_table(&mut out, measured, false);
        }
        if let (Some(postgres), Some((_, first))) = (
            self.stores.iter().find(|s| s.store == "PostgreSQL"),
            self.postgraphile.first(),
        ) {
            let mut header = String::from(
                "\nOurs on PostgreSQL (cache off) over PostGraphile in its better configuration for each cell:\n\n| query |",
            );
            for c in &self.connections {
                let _ = write!(header, " at {c} |");
            }
            let _ = writeln!(
                out,
                "{header}\n|---|{}",
                "---:|".repeat(self.connections.len())
            );
            for m in first {
                let _ = write!(out, "| {} |", title(m.query));
                for c in &self.connections {
                    let _ = write!(
                        out,
                        " {} |",
                        ratio(
                            rps(find(&postgres.measured, m.query), *c),
                            best_postgraphile(&self.postgraphile, m.query, *c)
                        )
                    );
                }
                out.push('\n');
            }
        }
        let _ = writeln!(
            out,
            "\n## The limits of the machine and of our stack\n\n\
            A plain axum handler returning the captured response's bytes from memory:\n"
        );
        self.load_table(&mut out, &self.plain, false);
        let _ = writeln!(
            out,
            "\nAn async-graphql schema answering the same query (its arguments removed) with the \
            same data from memory, one resolver per field (`crates/bench/src/memory_schema.rs`):\n"
        );
        self.load_table(&mut out, &self.memory, false);
        let _ = writeln!(out, "\nOurs as a share of each, at 16 connections:\n");
        let mut header = String::from("| query |");
        let mut rule = String::from("|---|");
        for store in &self.stores {
            let _ = write!(header, " {0} / in-memory | {0} / plain |", store.store);
            rule.push_str("---:|---:|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for query in QUERIES.iter().filter(|q| q.baselines) {
            let _ = write!(out, "| {} |", query.title);
            for store in &self.stores {
                let ours = rps(find(&store.measured, query.name), 16);
                let _ = write!(
                    out,
                    " {} | {} |",
                    ratio(ours, rps(find(&self.memory, query.name), 16)),
                    ratio(ours, rps(find(&self.plain, query.name), 16))
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "\n## Query plans\n\nEvery statement each standard query ran, with its values, and \
            the plan the store chose for it (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on \
            PostgreSQL).\n"
        );
        for store in &self.stores {
            for (query, plans) in &store.plans {
                let _ = writeln!(
                    out,
                    "<details><summary>{} — {}: {} statement{}</summary>\n",
                    store.store,
                    title(query),
                    plans.len(),
                    if plans.len() == 1 { "" } else { "s" }
                );
                for (statement, plan) in plans {
                    let shown = if statement.len() > 600 {
                        format!("{}…", &statement[..statement.floor_char_boundary(600)])
                    } else {
                        statement.clone()
                    };
                    let _ = writeln!(out, "```sql\n{shown}\n```\n```\n{plan}\n```\n");
                }
                let _ = writeln!(out, "</details>\n");
            }
        }
        out
    }

    /// The targets and ratios, for the terminal.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for store in &self.stores {
            let _ = writeln!(out, "\n{}:", store.store);
            self.load_table(&mut out, &store.measured, true);
        }
        for (label, measured) in &self.postgraphile {
            let _ = writeln!(out, "\nPostGraphile, {label}:");
            self.load_table(&mut out, measured, false);
        }
        let _ = writeln!(out, "\nTargets:");
        for (target, figure, met) in self.targets() {
            let _ = writeln!(
                out,
                "  {target}: {figure} ({})",
                verdict(met).trim_matches('*')
            );
        }
        out
    }
}
