//! `lectio`: comparative reading of texts from the command line.
//!
//! Each subcommand lives in its own module under `cmd/` with its usage text next to its
//! code; `input` loads texts, `output` writes reports.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Worker threads [default: all cores, or RAYON_NUM_THREADS]. The output is the same
    /// whatever the number.
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        // Only fails if the pool was already built, which nothing does before this.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build_global();
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
