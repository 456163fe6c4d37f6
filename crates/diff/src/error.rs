/// Why a collation could not be set up. Nothing in the alignment itself fails.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A line of a spelling file is not a list of at least two spellings.
    #[error("spelling list, line {line}: {message}")]
    Spelling {
        /// 1-based line in the spelling list.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// An `--ignore` value names no known class or detail.
    #[error("unknown --ignore value {0:?} (expected accidentals, or a list of: case, punctuation, quotation-marks, dashes, diacritics, word-division, spelling)")]
    Ignore(String),
    /// CollateX JSON input that cannot be read.
    #[error("CollateX JSON: {0}")]
    Json(String),
    /// A unit of CollateX JSON lists the same witness id twice.
    #[error(
        "CollateX JSON: duplicate witness id {id:?} ({})",
        duplicate_place(*unit, *first, *second)
    )]
    DuplicateWitness {
        /// The id given twice.
        id: String,
        /// The 1-based unit, when the file is a list of units.
        unit: Option<usize>,
        /// 1-based position of its first witness with that id in the unit.
        first: usize,
        /// 1-based position of the second.
        second: usize,
    },
    /// A witness named as the base does not exist.
    #[error("no witness {0:?} to use as the base")]
    NoSuchWitness(String),
    /// Fewer than two witnesses were given.
    #[error("a collation needs at least two witnesses, got {0}")]
    TooFewWitnesses(usize),
}

fn duplicate_place(unit: Option<usize>, first: usize, second: usize) -> String {
    match unit {
        Some(u) => format!("unit {u}, witnesses {first} and {second}"),
        None => format!("witnesses {first} and {second}"),
    }
}
