//! One module per subcommand, each with its arguments (and so its usage text) and `run`.

pub mod align;
pub mod collate;
pub mod collocates;
pub mod diff;
pub mod freq;
pub mod keyness;
pub mod kwic;
pub mod plot;
pub mod report;

/// Parses a query as kwic, collocates and plot read it; a bad query is a usage error.
pub fn parse_query(
    text: &str,
    regex: bool,
    keys: crate::input::KeyArgs,
) -> Result<lectio_concord::query::Query, UsageError> {
    let opts = lectio_concord::query::QueryOptions {
        regex,
        key: keys.options(),
    };
    lectio_concord::query::Query::parse(text, opts).map_err(|e| UsageError(e.to_string()))
}

/// An error in what the user asked for (not in the input): exits with status 2, as clap's
/// own usage errors do.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}
