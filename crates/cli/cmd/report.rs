//! `lectio report`: the standard set of reports for the texts in texts/.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Parser;

use crate::html;
use crate::Cli;

const EXAMPLES: &str = "\
Examples:
  lectio report                  regenerate reports/ (run from the repository)
  lectio report --out /tmp/r     the same set anywhere: the texts are embedded

Every file is the output of the lectio command listed in README.md (\"Reports\"), written
to a temporary name and renamed, so an interrupted run never leaves half a report.";

/// Write the standard reports for the embedded texts: CSVs, TEI, SVG and index.html.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Folder to write the reports into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
}

/// The reports and the command lines that make them (each with `-o DIR/FILE` added).
pub const REPORTS: [(&str, &[&str]); 9] = [
    (
        "kwic-monolithic.csv",
        &["kwic", "monolithic", "--format", "csv"],
    ),
    ("freq-words.csv", &["freq", "--format", "csv"]),
    (
        "freq-bigrams.csv",
        &["freq", "--ngram", "2", "--format", "csv"],
    ),
    (
        "collocates-party.csv",
        &["collocates", "party", "--format", "csv"],
    ),
    (
        "variants-emended.csv",
        &["diff", "@essay", "@emended", "--format", "csv"],
    ),
    (
        "variants-plain.csv",
        &["diff", "@essay", "@plain", "--format", "csv"],
    ),
    (
        "collation.tei.xml",
        &["collate", "@essay", "@emended", "@plain", "--format", "tei"],
    ),
    (
        "dispersion.svg",
        &["plot", "monolithic", "party", "Stalin", "Trotsky"],
    ),
    (
        "alignment-de.csv",
        &["align", "@essay", "@de", "--format", "csv"],
    ),
];

/// Runs `lectio report`.
pub fn run(args: Args) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the report folder", args.out.display()))?;
    for (file, command) in REPORTS {
        let path = args.out.join(file);
        run_command(command, &path)?;
        eprintln!("lectio: wrote {}", path.display());
    }
    let index = args.out.join("index.html");
    html::write_index(&args.out, &index)?;
    eprintln!("lectio: wrote {}", index.display());
    Ok(ExitCode::SUCCESS)
}

/// Runs `lectio COMMAND... -o PATH` in this process, exactly as from the command line.
fn run_command(command: &[&str], path: &Path) -> Result<()> {
    let path = path
        .to_str()
        .context("the report folder's path is not UTF-8")?;
    let tail = ["-o", path];
    let argv = ["lectio"].iter().chain(command).chain(&tail).copied();
    let cli = Cli::try_parse_from(argv).expect("the report command lines are valid");
    cli.run()
        .with_context(|| format!("lectio {}", command.join(" ")))?;
    Ok(())
}
