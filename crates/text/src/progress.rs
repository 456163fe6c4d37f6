use std::ops::Range;

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
    /// each text is counted once, whatever the number of passes.
    fn advance(&self, doc: usize, bytes: u64) {
        let _ = (doc, bytes);
    }
}

impl Progress for () {}
