//! Import progress on the command line: a bar on a terminal, plain lines otherwise (a log, CI).

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Draws the progress of an import on standard error.
pub enum Shown {
    Bar(Option<ProgressBar>),
    /// Plain lines: one when a phase starts, one per tenth of it, one when it ends.
    Lines {
        phase: String,
        total: usize,
        done: usize,
        next_line: usize,
        started: Instant,
    },
}

impl Shown {
    /// A bar when standard error is a terminal, plain lines otherwise.
    pub fn on_stderr() -> Shown {
        if std::io::stderr().is_terminal() {
            Shown::Bar(None)
        } else {
            Shown::Lines {
                phase: String::new(),
                total: 0,
                done: 0,
                next_line: 0,
                started: Instant::now(),
            }
        }
    }
}

impl dataset::Progress for Shown {
    fn start(&mut self, phase: &str, total: usize) {
        match self {
            Shown::Bar(bar) => {
                let new =
                    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template(
                    "{prefix:>14} [{bar:40}] {pos}/{len} {per_sec} eta {eta}",
                ) {
                    new.set_style(style.progress_chars("=> "));
                }
                new.set_prefix(phase.to_owned());
                *bar = Some(new);
            }
            Shown::Lines {
                phase: current,
                total: size,
                done,
                next_line,
                started,
            } => {
                *current = phase.to_owned();
                *size = total;
                *done = 0;
                *next_line = total.div_ceil(10).max(1);
                *started = Instant::now();
                eprintln!("{phase}: {total} records");
            }
        }
    }

    fn advance(&mut self, count: usize) {
        match self {
            Shown::Bar(bar) => {
                if let Some(bar) = bar {
                    bar.inc(count as u64);
                }
            }
            Shown::Lines {
                phase,
                total,
                done,
                next_line,
                ..
            } => {
                *done += count;
                if *done >= *next_line && *done < *total {
                    eprintln!("{phase}: {done}/{total}");
                    *next_line += total.div_ceil(10).max(1);
                }
            }
        }
    }

    fn finish(&mut self) {
        match self {
            Shown::Bar(bar) => {
                if let Some(bar) = bar.take() {
                    bar.finish();
                }
            }
            Shown::Lines {
                phase,
                total,
                started,
                ..
            } => {
                eprintln!(
                    "{phase}: {total}/{total} done in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
}
