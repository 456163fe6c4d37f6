use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;

/// Told of work done by a long-running function, from any of its threads, so that the
/// caller can show progress and let memory go; lectio's libraries never print. Both methods
/// do nothing by default, and `()` is the observer that ignores everything.
pub trait Progress: Sync {
    /// Bytes `range` of text `doc` (its index among the texts given) have been read and
    /// are not needed again soon: a memory-mapped file may drop them from memory (see
    /// [`crate::Document::release`]). Called in every pass over the text.
    fn release(&self, doc: usize, range: Range<usize>) {
        let _ = (doc, range);
    }

    /// `bytes` more bytes of text `doc` have been processed. Over a whole run, each byte of
    /// each text is counted once, whatever the number of passes, unless the function says
    /// otherwise (a barcode plot tells of every pass).
    fn advance(&self, doc: usize, bytes: u64) {
        let _ = (doc, bytes);
    }
}

impl Progress for () {}

/// A [`Progress`] that adds up what it is told, by text: the bytes advanced and the bytes
/// released. For checking what a function reports, and for callers that want the totals
/// rather than a bar.
#[derive(Debug, Default)]
pub struct ProgressLog {
    advanced: Mutex<BTreeMap<usize, u64>>,
    released: Mutex<BTreeMap<usize, u64>>,
}

impl ProgressLog {
    /// Bytes advanced, by text.
    pub fn advanced(&self) -> BTreeMap<usize, u64> {
        self.advanced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Bytes released, by text (a byte released twice counts twice).
    pub fn released(&self) -> BTreeMap<usize, u64> {
        self.released
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Progress for ProgressLog {
    fn release(&self, doc: usize, range: Range<usize>) {
        *self
            .released
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(doc)
            .or_default() += range.len() as u64;
    }

    fn advance(&self, doc: usize, bytes: u64) {
        *self
            .advanced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(doc)
            .or_default() += bytes;
    }
}
