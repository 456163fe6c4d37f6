//! lectio-diff: alignment of witnesses, variant classification and the apparatus.
pub mod bitext;
