//! lectio-concord: keyword-in-context listings, frequency lists, collocates, keyness and
//! dispersion over texts tokenized by lectio-text.

pub mod kwic;
pub mod query;
