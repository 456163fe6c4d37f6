use memchr::memchr2_iter;

/// Maps byte offsets to 1-based line numbers and character columns.
///
/// LF, CRLF and lone CR all end a line. A leading byte-order mark is not counted as a
/// column, so column 1 is the first character a reader sees.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let first = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut starts = vec![first];
        for i in memchr2_iter(b'\n', b'\r', bytes) {
            // The CR of a CRLF pair is not a line end of its own.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex { starts }
    }

    /// The 1-based line containing byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1]
    }

    /// The 1-based line and 1-based character column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_start(line).min(offset);
        (line, text[start..offset].chars().count() + 1)
    }

    /// Number of lines (a final line without terminator counts; an empty text has one).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: every text has at least one line.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_crlf_and_cr_each_end_one_line() {
        let text = "a\nb\r\nc\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.len(), 4);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 2), (2, 1));
        assert_eq!(idx.line_col(text, 5), (3, 1));
        assert_eq!(idx.line_col(text, 7), (4, 1));
    }

    #[test]
    fn columns_count_characters_and_skip_the_bom() {
        let text = "\u{FEFF}é x";
        let idx = LineIndex::new(text);
        // "x" is at byte 3 (BOM) + 2 (é) + 1 (space) = 6, and is the third character seen.
        assert_eq!(idx.line_col(text, 6), (1, 3));
    }
}
