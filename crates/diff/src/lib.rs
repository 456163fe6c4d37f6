//! lectio-diff: alignment of witnesses, variant classification and the apparatus.
//!
//! The pipeline follows the Gothenburg model of collation:
//!
//! 1. **Tokenize** each witness with [`lectio_text::Tokenizer`]: words, punctuation and
//!    footnote markers, each with its byte span in the text as given.
//! 2. **Normalize**: every word gets an alignment key (NFC, case-folded, diacritics and
//!    hyphens dropped, `’` read as `'`, and mapped through the spelling list).
//! 3. **Align** in two levels: sentence keys first, then the word keys inside each block
//!    between equal sentences, blocks in parallel. Patience diff with exact Myers between
//!    anchors (`similar`), no deadline: the result never depends on time.
//!    Punctuation does not take part in aligning words; it is compared afterwards,
//!    between aligned words.
//! 4. **Analyse**: moved passages become transpositions ([`moves`] has the rules); every
//!    other difference becomes a substitution, omission or addition, classed substantive
//!    or accidental with a detail (case, punctuation, quotation marks, dashes, diacritics,
//!    word division, spelling). Differences of whitespace, line wrapping or Unicode
//!    normalization form are not variants.
//! 5. **Show**: [`Variant`] rows, a [`Collation`] table and apparatus for N witnesses,
//!    TEI parallel segmentation ([`tei`]) and the inline view ([`inline`]).
//!
//! The crate never prints and never exits; errors are [`DiffError`]. It also holds
//! [`bitext`], the length-based alignment of a text with its translation (`lectio align`).

mod align;
pub mod bitext;
mod classify;
mod collate;
pub mod collatex;
mod compare;
mod error;
pub mod inline;
pub mod moves;
mod prepare;
pub mod tei;

pub use classify::{Class, Detail, Details, Ignore, Kind, Spelling};
pub use collate::{
    collate, collate_with_progress, Cell, Collation, Entry, Reading, Segment, Witness,
};
pub use compare::{compare, Comparison, Options, Summary, Variant, COLUMNS};
pub use error::DiffError;
