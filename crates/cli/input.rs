//! Loading the texts a command reads: files, standard input, or the embedded essay.

use std::path::PathBuf;

use anyhow::Result;
use lectio_text::{Document, KeyOptions, LoadError, LoadOptions};
use rayon::prelude::*;

/// File name of the essay compiled into the binary, used when no file is given.
pub const ESSAY_NAME: &str = "deutscher-1956-khrushchev-on-stalin.txt";

/// The essay's bytes, exactly as in texts/.
pub static ESSAY: &[u8] = include_bytes!("../../texts/deutscher-1956-khrushchev-on-stalin.txt");

/// Options for how texts are read, shared by every command.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct LoadArgs {
    /// Replace invalid UTF-8 bytes with U+FFFD (with a warning) instead of failing.
    #[arg(long)]
    pub lossy: bool,
}

/// Options for how keys are made, shared by every command that matches words.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct KeyArgs {
    /// Distinguish upper and lower case (by default keys are case-folded).
    #[arg(long)]
    pub case_sensitive: bool,
    /// Ignore diacritics: "élite" matches "elite".
    #[arg(long)]
    pub fold_diacritics: bool,
}

impl KeyArgs {
    /// The key options these flags ask for.
    pub fn options(self) -> KeyOptions {
        KeyOptions {
            case_sensitive: self.case_sensitive,
            fold_diacritics: self.fold_diacritics,
        }
    }
}

/// The embedded essay as a document.
pub fn essay() -> Document {
    Document::from_static(ESSAY_NAME, ESSAY, LoadOptions::default())
        .expect("the embedded essay is valid UTF-8")
}

/// Loads `paths` in parallel, in the order given; the embedded essay when there are none.
///
/// Errors name the file; an invalid UTF-8 error says how to load the file anyway.
pub fn load(paths: &[PathBuf], args: LoadArgs) -> Result<Vec<Document>> {
    if paths.is_empty() {
        return Ok(vec![essay()]);
    }
    let opts = LoadOptions { lossy: args.lossy };
    let docs = paths
        .par_iter()
        .map(|p| Document::open(p, opts).map_err(explain))
        .collect::<Result<Vec<_>>>()?;
    for doc in &docs {
        if doc.replaced_bytes() > 0 {
            eprintln!(
                "lectio: warning: {}: replaced {} invalid UTF-8 byte(s) with U+FFFD",
                doc.name(),
                doc.replaced_bytes()
            );
        }
    }
    Ok(docs)
}

fn explain(err: LoadError) -> anyhow::Error {
    match err {
        LoadError::InvalidUtf8 { .. } => {
            anyhow::anyhow!("{err} (use --lossy to replace invalid bytes)")
        }
        other => other.into(),
    }
}
