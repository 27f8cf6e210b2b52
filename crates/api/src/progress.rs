//! Import progress on the command line: a bar on a terminal, plain lines otherwise (a log, CI).

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Draws the progress of an import on standard error.
pub enum Shown {
    /// A bar as wide as the terminal, per phase; each bar ends its line when it finishes, so
    /// what follows (the next bar, the summary) starts on a line of its own.
    Bar {
        bar: Option<ProgressBar>,
        terminal: Terminal,
    },
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
            Shown::Bar {
                bar: None,
                terminal: Terminal::Stderr,
            }
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
            Shown::Bar { bar, terminal } => {
                let new = ProgressBar::with_draw_target(Some(total as u64), terminal.target());
                if let Some(style) = bar_style() {
                    new.set_style(style);
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
            Shown::Bar { bar, .. } => {
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
            Shown::Bar { bar, terminal } => {
                if let Some(bar) = bar.take() {
                    bar.finish();
                    // The bar leaves the cursor at the end of its line.
                    terminal.end_line();
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

/// Where bars are drawn.
pub enum Terminal {
    Stderr,
    /// A terminal of a given width that keeps what is written to it.
    #[cfg(test)]
    Recorded(tests::Recording),
}

impl Terminal {
    fn target(&self) -> ProgressDrawTarget {
        match self {
            Terminal::Stderr => ProgressDrawTarget::stderr(),
            #[cfg(test)]
            Terminal::Recorded(recording) => {
                ProgressDrawTarget::term_like(Box::new(recording.clone()))
            }
        }
    }

    fn end_line(&self) {
        match self {
            Terminal::Stderr => eprintln!(),
            #[cfg(test)]
            Terminal::Recorded(recording) => {
                let _ = indicatif::TermLike::write_line(recording, "");
            }
        }
    }
}

/// A phase's bar: its name, a bar filling what the terminal's width leaves, the count, the rate
/// (`rate`) and the time left.
fn bar_style() -> Option<ProgressStyle> {
    let style =
        ProgressStyle::with_template("{prefix:>14} [{wide_bar}] {pos}/{len} {rate} eta {eta}")
            .ok()?;
    Some(style.progress_chars("=> ").with_key(
        "rate",
        |state: &ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = out.write_str(&rate(state.per_sec()));
        },
    ))
}

/// Records per second with at most one decimal: `12345/s`, `42/s`, `2.5/s`.
fn rate(per_second: f64) -> String {
    if !per_second.is_finite() {
        "-/s".to_owned()
    } else if per_second >= 10.0 {
        format!("{per_second:.0}/s")
    } else {
        format!("{per_second:.1}/s")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use dataset::Progress;

    use super::*;

    /// A terminal `width` columns wide that keeps the text written to it (cursor moves and
    /// line clearing are not kept).
    #[derive(Debug, Clone)]
    pub struct Recording {
        pub width: u16,
        pub text: Arc<Mutex<String>>,
    }

    impl indicatif::TermLike for Recording {
        fn width(&self) -> u16 {
            self.width
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, line: &str) -> std::io::Result<()> {
            let mut text = self.text.lock().expect("not poisoned");
            text.push_str(line);
            text.push('\n');
            Ok(())
        }
        fn write_str(&self, part: &str) -> std::io::Result<()> {
            self.text.lock().expect("not poisoned").push_str(part);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Draws one phase on a terminal `width` wide; returns what was written.
    fn draw(width: u16) -> String {
        let recording = Recording {
            width,
            text: Arc::default(),
        };
        let mut shown = Shown::Bar {
            bar: None,
            terminal: Terminal::Recorded(recording.clone()),
        };
        shown.start("cities", 34_969);
        shown.advance(12_345);
        shown.advance(22_624);
        shown.finish();
        let text = recording.text.lock().expect("not poisoned");
        text.clone()
    }

    #[test]
    fn a_bar_fits_the_terminal_and_ends_its_line_when_it_finishes() {
        for width in [60_u16, 100, 160] {
            let text = draw(width);
            let drawn = text
                .strip_suffix('\n')
                .unwrap_or_else(|| panic!("what follows starts on a new line: {text:?}"));
            // Each drawing fills one line of the terminal exactly (a longer one would wrap): the
            // last line holds the whole finished bar.
            let chars: Vec<char> = drawn.chars().collect();
            assert_eq!(chars.len() % usize::from(width), 0, "{drawn:?}");
            let last: String = chars[chars.len() - usize::from(width)..].iter().collect();
            assert!(last.trim_start().starts_with("cities ["), "{last:?}");
            assert!(last.contains("] 34969/34969 "), "{last:?}");
        }
    }

    #[test]
    fn rates_show_at_most_one_decimal() {
        assert_eq!(rate(5231.2345), "5231/s");
        assert_eq!(rate(42.0), "42/s");
        assert_eq!(rate(2.3456), "2.3/s");
        assert_eq!(rate(f64::INFINITY), "-/s");
    }
}
