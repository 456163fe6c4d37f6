//! `lectio`: comparative reading of texts from the command line.
//!
//! Each subcommand lives in its own module under `cmd/` with its usage text next to its
//! code; `input` loads texts, `output` writes reports.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Messages to stderr that never panic: std's `eprintln!` panics when stderr is closed or
/// full (`lectio ... 2>&1 | head -1`, `2>/dev/full`), and a report must not be abandoned
/// half-made because its progress line could not be shown. Defined before the modules so
/// that it is the `eprintln!` they all use.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cells;
mod cmd;
mod html;
mod input;
mod output;
mod progress;

/// Comparative reading of texts: concordances and collation of editions.
///
/// With no FILE, commands read the embedded essay: Isaac Deutscher, "Khrushchev on
/// Stalin" (1956), Marxist Internet Archive transcription (2012).
#[derive(Parser)]
#[command(
    name = "lectio",
    version,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Worker threads, at most 256 [default: RAYON_NUM_THREADS, else all cores]. The output
    /// is the same whatever the number.
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS as u64))]
    threads: Option<u64>,
    /// No progress bar (it is shown on a terminal, for work that takes more than a second).
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    Kwic(cmd::kwic::Args),
    Freq(cmd::freq::Args),
    Collocates(cmd::collocates::Args),
    Keyness(cmd::keyness::Args),
    Plot(cmd::plot::Args),
    Diff(cmd::diff::Args),
    Collate(cmd::collate::Args),
    Align(cmd::align::Args),
    Report(cmd::report::Args),
}

impl Cli {
    /// Whether the command counts n-grams (`lectio report` writes a list of bigrams).
    fn counts_ngrams(&self) -> bool {
        match &self.command {
            Command::Freq(args) => args.ngram() > 1,
            Command::Keyness(args) => args.ngram() > 1,
            Command::Report(_) => true,
            _ => false,
        }
    }

    /// Runs the command the arguments name (`lectio report` runs the others through this).
    pub(crate) fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Kwic(args) => cmd::kwic::run(args),
            Command::Freq(args) => cmd::freq::run(args),
            Command::Collocates(args) => cmd::collocates::run(args),
            Command::Keyness(args) => cmd::keyness::run(args),
            Command::Plot(args) => cmd::plot::run(args),
            Command::Diff(args) => cmd::diff::run(args),
            Command::Collate(args) => cmd::collate::run(args),
            Command::Align(args) => cmd::align::run(args),
            Command::Report(args) => cmd::report::run(args),
        }
    }
}

/// The most worker threads lectio starts. Threads beyond the cores only cost: with 1,024
/// on two cores, the pool's idle workers looking for work made freq on the essay take
/// 10 s instead of 0.02 s, and 4,096 did not finish in two minutes.
const MAX_THREADS: usize = 256;

/// The number of threads `RAYON_NUM_THREADS` asks for (0, empty or unset: all cores),
/// checked like `--threads`.
fn threads_from_env() -> Result<Option<usize>, String> {
    let Some(value) = std::env::var_os("RAYON_NUM_THREADS") else {
        return Ok(None);
    };
    let n = match value.to_str().map(str::trim) {
        // Empty, as rayon reads it: unset.
        Some("") => return Ok(None),
        v => v.and_then(|v| v.parse::<usize>().ok()),
    };
    match n {
        Some(0) => Ok(None),
        Some(n) if n <= MAX_THREADS => Ok(Some(n)),
        _ => Err(format!(
            "RAYON_NUM_THREADS={}: the number of threads must be 1 to {MAX_THREADS} (0 for all cores)",
            value.to_string_lossy()
        )),
    }
}

/// Keeps glibc's allocator from holding on to freed memory, for commands that count
/// n-grams. By default glibc raises the size from which it serves an allocation from a
/// mapping of its own whenever such an allocation is freed (up to 32 MiB); once the first
/// of the shards' n-gram tables had outgrown and freed a block, their successors came from
/// the heap, whose freed space is not given back, and `freq --ngram 2` on 52 MB held 1.02 GB
/// resident. With the threshold fixed at glibc's default of 128 KiB, large blocks keep
/// their own mappings and go back to the system when freed: 0.85 GB. Not for the other
/// commands: there each large block then costs a fresh mapping and, with two threads, a
/// flush of the other core's TLB when it is unmapped, and freq on single words took 3%
/// longer with two threads (see README, "n-grams and the allocator").
fn fix_allocator_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator; it is called after the
    // allocator's first use and before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.counts_ngrams() {
        fix_allocator_threshold();
    }
    let threads = match cli.threads {
        Some(n) => n as usize,
        None => match threads_from_env() {
            Ok(n) => n.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS))
            }),
            Err(msg) => {
                eprintln!("lectio: error: {msg}");
                return ExitCode::from(2);
            }
        },
    };
    // The global pool is started here without waiting for its workers. `build_global`
    // blocks until every worker runs, which took about 1 ms in most runs on a 2-core
    // virtual machine (a worker starting on an idle core); started lazily, with the size
    // rayon documents it takes from RAYON_NUM_THREADS, the workers come up while the
    // command compiles its query and opens its files (kwic on a small file 2.2 → 1.75 ms).
    // No other thread exists yet, so setting the variable races with nothing.
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    // rayon documents this sizing as its present behaviour: should it change, say so
    // rather than run with another number of threads unannounced.
    let started = rayon::current_num_threads();
    if started != threads {
        eprintln!("lectio: warning: running {started} worker threads, not {threads}");
    }
    progress::set_quiet(cli.quiet);
    // Ctrl-C: remove temporary report files, so an interrupted run leaves nothing behind.
    let _ = ctrlc::set_handler(|| {
        output::remove_pending();
        std::process::exit(130);
    });
    let result = cli.run();
    match result {
        // --keep-going skipped an input: the report was written, but the run had a problem.
        Ok(_) if input::SKIPPED_INPUT.load(std::sync::atomic::Ordering::Relaxed) => {
            ExitCode::from(1)
        }
        Ok(code) => code,
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("lectio: error: {err:#}");
            let usage = err.downcast_ref::<cmd::UsageError>().is_some();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        // Catches clashing flags (two -r, say) that would otherwise panic at run time.
        super::Cli::command().debug_assert();
    }
}
