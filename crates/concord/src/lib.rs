//! lectio-concord: keyword-in-context listings, frequency lists, collocates, keyness and
//! dispersion over texts tokenized by lectio-text.

mod chunk;
pub mod collocates;
pub mod dispersion;
pub mod freq;
pub mod keyness;
pub mod kwic;
pub mod query;
mod tally;
