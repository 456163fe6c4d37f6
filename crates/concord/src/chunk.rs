//! Shared plumbing of the statistics modules: splitting texts into chunks at paragraph
//! breaks for parallel counting, and walking the words of a chunk with the sentence and
//! paragraph boundaries that n-grams and windows must not cross.

use lectio_text::{sentences, Sentence, Token, TokenKind, Tokenizer};

/// A slice of one text that starts at byte `base` of it and ends at a paragraph break (or at
/// the end of the text). Tokenizing chunks one by one gives exactly the tokens of the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    /// Index of the text in the slice of texts being counted.
    pub doc: usize,
    /// Byte offset of `text` in its whole text.
    pub base: usize,
    /// The chunk's bytes.
    pub text: &'a str,
}

impl<'a> Chunk<'a> {
    /// The tokens of the chunk, with spans into the whole text. Paragraph numbers restart in
    /// every chunk; only their changes inside a chunk are meaningful.
    pub fn tokens(&self) -> Tokenizer<'a> {
        Tokenizer::with_base(self.text, self.base, 0)
    }
}

/// Splits `text` into chunks of about `target` bytes or more, each ending at a paragraph
/// break (a blank line). A text without a break at or after `target` bytes is one chunk.
pub(crate) fn split(doc: usize, text: &str, target: usize) -> Vec<Chunk<'_>> {
    let bytes = text.as_bytes();
    let target = target.max(1);
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        match paragraph_break_after(bytes, start + target) {
            Some(end) if end < bytes.len() => {
                chunks.push(Chunk {
                    doc,
                    base: start,
                    text: &text[start..end],
                });
                start = end;
            }
            _ => {
                chunks.push(Chunk {
                    doc,
                    base: start,
                    text: &text[start..],
                });
                break;
            }
        }
    }
    chunks
}

/// Chunk `k` of `text` cut at the first paragraph break at or after every multiple of
/// `size` bytes (empty when a paragraph spans several multiples): the chunks of
/// [`split`]'s kind, ending at paragraph breaks, but each found by the worker that reads it
/// (see [`at_spaces`]).
pub(crate) fn at_paragraphs(doc: usize, text: &str, k: usize, size: usize) -> Chunk<'_> {
    let bytes = text.as_bytes();
    let bound = |k: usize| -> usize {
        let at = k.saturating_mul(size.max(1));
        if k == 0 || at >= bytes.len() {
            return at.min(bytes.len());
        }
        // A break found from a later point never ends before one found from an earlier.
        paragraph_break_after(bytes, at).unwrap_or(bytes.len())
    };
    let (start, end) = (bound(k), bound(k + 1));
    Chunk {
        doc,
        base: start,
        text: &text[start..end.max(start)],
    }
}

/// Chunk `k` of `text` cut into chunks of about `size` bytes, each ending before an ASCII
/// space, tab or line break (the first at or after `k × size`). No token spans whitespace,
/// so the chunks' tokens are the text's tokens; their paragraph numbers are not (use
/// [`split`] when they matter). Made one at a time by the worker that reads the chunk:
/// finding every bound up front would touch (and map) the whole of a large file.
pub(crate) fn at_spaces(doc: usize, text: &str, k: usize, size: usize) -> Chunk<'_> {
    let bytes = text.as_bytes();
    let bound = |k: usize| -> usize {
        let at = k.saturating_mul(size);
        if k == 0 || at >= bytes.len() {
            return at.min(bytes.len());
        }
        memchr::memchr3(b' ', b'\n', b'\t', &bytes[at..]).map_or(bytes.len(), |i| at + i)
    };
    let (start, end) = (bound(k), bound(k + 1));
    Chunk {
        doc,
        base: start,
        text: &text[start..end.max(start)],
    }
}

/// The end of the first run of ASCII whitespace at or after byte `from` that holds at least
/// two line breaks, counted as the tokenizer counts them (LF, CRLF and a lone CR each end a
/// line), i.e. a point between two paragraphs. The tokenizer sees a break there too: its
/// whitespace run can only be longer.
fn paragraph_break_after(bytes: &[u8], from: usize) -> Option<usize> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
    let mut pos = from;
    while pos < bytes.len() {
        let nl = pos + memchr_line(&bytes[pos..])?;
        // Widen to the whole ASCII whitespace run around this line break.
        let mut run_start = nl;
        while run_start > 0 && is_space(bytes[run_start - 1]) {
            run_start -= 1;
        }
        let mut run_end = nl;
        while run_end < bytes.len() && is_space(bytes[run_end]) {
            run_end += 1;
        }
        let breaks = (run_start..run_end)
            .filter(|&i| match bytes[i] {
                b'\n' => true,
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            })
            .count();
        if breaks >= 2 && run_start > 0 {
            return Some(run_end);
        }
        pos = run_end.max(nl + 1);
    }
    None
}

fn memchr_line(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n' || b == b'\r')
}

/// One word of a chunk, with what separates it from the previous word of the chunk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordEvent {
    /// The word token.
    pub token: Token,
    /// A paragraph break lies between this word and the previous one (always true for the
    /// first word of a chunk).
    pub new_para: bool,
    /// A sentence end or a paragraph break lies between this word and the previous one
    /// (always true for the first word of a chunk).
    pub new_sentence: bool,
}

/// Walks the words of a chunk, with the sentence and paragraph breaks between them.
///
/// Sentences are lectio-text's [`sentences`]: they end at `.`, `!`, `?`, `…` or a run of
/// dots, but not before a lower-case word, nor after a one-letter word (the spaced initials
/// of "N. S. Khrushchev") or a title such as "Dr.", and always at a paragraph break.
/// Footnote markers are not words and are skipped: a sentence end right before one still
/// ends the sentence. Chunks end at paragraph breaks, so splitting the chunk alone gives
/// the sentences of the whole text.
pub(crate) fn for_each_word(chunk: &Chunk<'_>, f: impl FnMut(WordEvent)) {
    walk(chunk, Some(&sentences(chunk.text)), f);
}

/// Walks the words of a chunk with the paragraph breaks between them only, for counts whose
/// windows end at a paragraph break (collocates): splitting the chunk into sentences as
/// well had tokenized it twice and held all its tokens at once. `new_sentence` is then the
/// same as `new_para`.
pub(crate) fn for_each_paragraph_word(chunk: &Chunk<'_>, f: impl FnMut(WordEvent)) {
    walk(chunk, None, f);
}

fn walk(chunk: &Chunk<'_>, sentences: Option<&[Sentence]>, mut f: impl FnMut(WordEvent)) {
    // Index of the sentence holding the current word.
    let mut k = 0;
    let mut prev: Option<(u32, usize)> = None;
    for tok in chunk.tokens().filter(|t| t.kind == TokenKind::Word) {
        if let Some(sentences) = sentences {
            let local = tok.start - chunk.base;
            while k + 1 < sentences.len() && sentences[k].end <= local {
                k += 1;
            }
        }
        let new_para = prev.is_none_or(|(para, _)| para != tok.para);
        f(WordEvent {
            token: tok,
            new_para,
            new_sentence: new_para || prev.is_none_or(|(_, s)| s != k),
        });
        prev = Some((tok.para, k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(text: &str, target: usize) -> Vec<(usize, usize, bool, bool)> {
        let mut out = Vec::new();
        for chunk in split(0, text, target) {
            for_each_word(&chunk, |e| {
                out.push((e.token.start, e.token.end, e.new_para, e.new_sentence))
            });
        }
        out
    }

    #[test]
    fn chunks_end_at_blank_lines_and_cover_the_text() {
        let text = "one two.\n\nthree\nfour\r\n\r\nfive\r\rsix\n \n seven";
        for target in 1..text.len() + 2 {
            let chunks = split(0, text, target);
            let joined: String = chunks.iter().map(|c| c.text).collect();
            assert_eq!(joined, text);
            for c in &chunks[1..] {
                // Every chunk after the first starts right after a blank line.
                let before = &text[..c.base];
                assert!(
                    before.ends_with("\n\n")
                        || before.ends_with("\r\n\r\n")
                        || before.ends_with("\r\r")
                        || before.ends_with("\n \n "),
                    "{before:?}"
                );
            }
            let whole: Vec<_> = Tokenizer::new(text)
                .map(|t| (t.start, t.end, t.kind))
                .collect();
            let chunked: Vec<_> = chunks
                .iter()
                .flat_map(|c| c.tokens())
                .map(|t| (t.start, t.end, t.kind))
                .collect();
            assert_eq!(whole, chunked, "target {target}");
        }
        // A single line break is not a paragraph break.
        assert_eq!(split(0, "a\nb\nc", 1).len(), 1);
    }

    #[test]
    fn chunks_at_spaces_give_the_same_words() {
        let text = "one two.\n\nthree\tfour\r\n\r\nfive\u{A0}six N.K.V.D. 1,000";
        let words = |chunks: &[Chunk<'_>]| -> Vec<(usize, usize)> {
            chunks
                .iter()
                .flat_map(|c| c.tokens())
                .filter(|t| t.is_word())
                .map(|t| (t.start, t.end))
                .collect()
        };
        let split_at_spaces = |size: usize| -> Vec<Chunk<'_>> {
            (0..text.len().div_ceil(size))
                .map(|k| at_spaces(0, text, k, size))
                .collect()
        };
        let whole = words(&split_at_spaces(usize::MAX));
        for target in 1..text.len() + 2 {
            let chunks = split_at_spaces(target);
            assert_eq!(chunks.iter().map(|c| c.text).collect::<String>(), text);
            assert_eq!(words(&chunks), whole, "target {target}");
        }
    }

    #[test]
    fn chunked_word_events_match_unchunked_ones_at_paragraph_starts() {
        let text = "aa bb. Cc\n\ndd ee\n\nff";
        let whole = words_of(text, usize::MAX);
        let chunked = words_of(text, 1);
        assert_eq!(whole, chunked);
        let flags: Vec<_> = whole.iter().map(|w| (w.2, w.3)).collect();
        assert_eq!(
            flags,
            [
                (true, true),
                (false, false),
                (false, true),
                (true, true),
                (false, false),
                (true, true)
            ]
        );
    }

    #[test]
    fn paragraph_words_are_the_words_with_paragraph_breaks_only() {
        let text = "aa bb. Cc\n\ndd ee\n\nff";
        for target in [1, usize::MAX] {
            let mut words = Vec::new();
            for chunk in split(0, text, target) {
                for_each_paragraph_word(&chunk, |e| {
                    words.push((e.token.start, e.token.end, e.new_para, e.new_sentence))
                });
            }
            // The sentence end after "bb." is not reported; paragraph breaks are.
            assert_eq!(
                words,
                [
                    (0, 2, true, true),
                    (3, 5, false, false),
                    (7, 9, false, false),
                    (11, 13, true, true),
                    (14, 16, false, false),
                    (18, 20, true, true)
                ]
            );
        }
    }

    #[test]
    fn sentences_are_lectio_text_sentences_and_notes_do_not_hide_ends() {
        let text = "by N. S. Khrushchev. Then Dr. Stalin.[1] And ... so? Yes! No… End";
        let ends: Vec<bool> = words_of(text, usize::MAX).iter().map(|w| w.3).collect();
        // by N S Khrushchev | Then Dr Stalin | And so (lower case goes on) | Yes | No | End
        assert_eq!(
            ends,
            [true, false, false, false, true, false, false, true, false, true, true, true]
        );
    }
}
