use unicode_normalization::char::is_combining_mark;

/// Whether `c` begins a letter as a reader counts letters, the same in every normalization
/// form: not a combining mark (the accent of NFD's `e` + U+0301), and not the vowel or
/// final consonant of a Hangul syllable spelled in conjoining jamo (NFD's 가 is U+1100
/// U+1161, one syllable as NFC's U+AC00 is).
pub(crate) fn starts_letter(c: char) -> bool {
    !is_combining_mark(c) && !matches!(c, '\u{1160}'..='\u{11FF}' | '\u{D7B0}'..='\u{D7FF}')
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// A word: letters and digits, with internal apostrophes, hyphens and initialism dots.
    Word,
    /// Punctuation or any other symbol: one character, or a run of `.` or `-` (`...`, `--`).
    Punct,
    /// A footnote marker such as `[1]`.
    Note,
}

/// One token: its kind, its byte span in the original file and its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte (inclusive).
    pub start: usize,
    /// Byte offset after the last byte (exclusive).
    pub end: usize,
    /// Word, punctuation or footnote marker.
    pub kind: TokenKind,
    /// 0-based paragraph number: paragraphs are separated by a blank line.
    pub para: u32,
}

impl Token {
    /// The token's original text in `src`, the text it was tokenized from.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    /// True for words.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
}

/// Splits a text into tokens, keeping byte spans into it.
///
/// Rules (README "Tokenization"): a word is a run of letters, digits and combining marks;
/// inside a word, `'` or `’` between letters (Stalin's), a hyphen between letters or digits
/// (down-to-earth, 1937-38), a dot or comma between digits (3.5, 1,000), dots of an
/// initialism (N.K.V.D., i.e.) and the soft hyphen keep it whole. Em and en dashes,
/// quotation marks and all other symbols are punctuation; `[digits]` is a footnote marker.
/// Whitespace (including NBSP) and a BOM separate tokens; a blank line starts a paragraph.
#[derive(Debug, Clone)]
pub struct Tokenizer<'a> {
    text: &'a str,
    base: usize,
    pos: usize,
    para: u32,
    started: bool,
}

impl<'a> Tokenizer<'a> {
    /// Tokenizes `text`; spans are offsets into `text`.
    pub fn new(text: &'a str) -> Self {
        Self::with_base(text, 0, 0)
    }

    /// Tokenizes `text`, a slice that starts at byte `base` of a larger text, whose first
    /// token belongs to paragraph `para` (for chunked, parallel work).
    pub fn with_base(text: &'a str, base: usize, para: u32) -> Self {
        Tokenizer {
            text,
            base,
            pos: 0,
            para,
            started: false,
        }
    }

    /// Where the next token is looked for, as an offset into the text.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Goes on from `pos`, a point between two tokens of the text.
    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.text[pos..].chars().next()
    }

    /// Skips whitespace, counting line breaks; returns true when a blank line was crossed.
    fn skip_space(&mut self) -> bool {
        let mut breaks = 0;
        let mut para_sep = false;
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if b.is_ascii() {
                match b {
                    b'\n' => breaks += 1,
                    b'\r' => {
                        if bytes.get(self.pos + 1) != Some(&b'\n') {
                            breaks += 1
                        }
                    }
                    b' ' | b'\t' | 0x0B | 0x0C => {}
                    _ => break,
                }
                self.pos += 1;
                continue;
            }
            let c = self.char_at(self.pos).expect("in bounds");
            match c {
                '\u{2029}' => para_sep = true,
                '\u{2028}' | '\u{85}' => breaks += 1,
                '\u{FEFF}' | '\u{200B}' => {}
                c if c.is_whitespace() => {}
                _ => break,
            }
            self.pos += c.len_utf8();
        }
        para_sep || breaks >= 2
    }

    fn is_word_char(c: char) -> bool {
        c.is_alphanumeric() || is_combining_mark(c)
    }

    /// Does `c`, between `prev` and `next`, join them into one word? An apostrophe between
    /// letters, a hyphen between letters or digits, a dot or comma between digits.
    fn joins(c: char, prev: char, next: Option<char>) -> bool {
        let Some(next) = next else { return false };
        match c {
            '\'' | '’' => prev.is_alphabetic() && next.is_alphabetic(),
            '-' | '\u{2010}' | '\u{2011}' => prev.is_alphanumeric() && next.is_alphanumeric(),
            '.' | ',' => prev.is_ascii_digit() && next.is_ascii_digit(),
            _ => false,
        }
    }

    /// Scans a word starting at `self.pos`; returns its end.
    fn scan_word(&self) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut pos = self.pos;
        let mut prev = '\0';
        // Single-letter segments separated by dots so far (candidate initialism).
        let mut seg_len = 0usize;
        let mut initialism = true;
        let mut dotted = false;
        loop {
            // Fast path: a run of ASCII letters and digits, most of any text.
            let run = bytes[pos..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if run > 0 {
                pos += run;
                seg_len += run;
                initialism &= seg_len <= 1;
                prev = bytes[pos - 1] as char;
            }
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            let next = || text[pos + c.len_utf8()..].chars().next();
            if Self::is_word_char(c) {
                if starts_letter(c) {
                    seg_len += 1;
                    initialism &= seg_len <= 1;
                }
            } else if matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}') {
                // Soft hyphen and joiners stay inside a word.
            } else if Self::joins(c, prev, next()) {
                initialism = false;
            } else if c == '.' && initialism && seg_len == 1 && prev.is_alphabetic() {
                // N.K.V.D.: a dot after a one-letter segment continues the word when another
                // one-letter segment follows, and ends it (included) after such segments.
                // The character after that letter is looked up past any combining marks on
                // it, so that NFD text is read as NFC is.
                let next = next();
                let after = next.and_then(|n| {
                    text[pos + 1 + n.len_utf8()..]
                        .chars()
                        .find(|&a| starts_letter(a))
                });
                if next.is_some_and(char::is_alphabetic) && after == Some('.') {
                    dotted = true;
                    seg_len = 0;
                } else {
                    // After an initialism the final dot belongs to it.
                    pos += usize::from(dotted);
                    break;
                }
            } else {
                break;
            }
            // Rules look at the last base character, so NFD text tokenizes as NFC does.
            if starts_letter(c) {
                prev = c;
            }
            pos += c.len_utf8();
        }
        pos
    }

    /// A footnote marker `[digits]` at `self.pos`: its end.
    fn scan_note(&self) -> Option<usize> {
        let rest = &self.text.as_bytes()[self.pos..];
        let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        (digits > 0 && rest.get(1 + digits) == Some(&b']')).then(|| self.pos + digits + 2)
    }
}

/// Byte classes of the ASCII fast path.
const SPACE: u8 = 0;
const ALNUM: u8 = 1;
const PUNCT: u8 = 2;
/// `.`, `-` (runs) and `[` (footnote markers).
const SPECIAL: u8 = 3;
/// A byte of a non-ASCII character.
const HIGH: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [HIGH; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            b'.' | b'-' | b'[' => SPECIAL,
            _ => PUNCT,
        };
        b += 1;
    }
    t
};

/// The length of the run of ASCII letters and digits at the start of `bytes`, eight bytes
/// at a time.
#[inline]
fn alnum_run(bytes: &[u8]) -> usize {
    use swar::{between, HI, LO};
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let alnum = between(x, b'0' - 1, b'9' + 1) | between(x | (LO * 0x20), b'a' - 1, b'z' + 1);
        let stop = !alnum & HI;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

impl Tokenizer<'_> {
    /// The token at `self.pos` when the text there is ASCII, as [`Self::next_slow`] would
    /// make it; `None` (with nothing consumed) when a non-ASCII character or the end of the
    /// text comes before the token's first byte.
    #[inline]
    fn next_fast(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        let mut breaks = 0u32;
        let class = loop {
            let &b = bytes.get(pos)?;
            let class = CLASS[b as usize];
            if class != SPACE {
                break class;
            }
            match b {
                b'\n' => breaks += 1,
                b'\r' if bytes.get(pos + 1) != Some(&b'\n') => breaks += 1,
                _ => {}
            }
            pos += 1;
        };
        if class == HIGH {
            // Non-ASCII whitespace may go on; let the general path read it.
            return None;
        }
        if breaks >= 2 && self.started {
            self.para += 1;
        }
        self.started = true;
        let start = pos;
        self.pos = start;
        let (end, kind) = match class {
            ALNUM => (self.scan_ascii_word(start), TokenKind::Word),
            SPECIAL if bytes[start] == b'[' => match self.scan_note() {
                Some(end) => (end, TokenKind::Note),
                None => (self.symbol_end(start), TokenKind::Punct),
            },
            SPECIAL => {
                let c = bytes[start];
                let run = bytes[start..].iter().take_while(|&&b| b == c).count();
                (start + run, TokenKind::Punct)
            }
            _ => (self.symbol_end(start), TokenKind::Punct),
        };
        self.pos = end;
        Some(Token {
            start: self.base + start,
            end: self.base + end,
            kind,
            para: self.para,
        })
    }

    /// The end of a word that starts with an ASCII letter or digit at `start`: the run of
    /// ASCII letters and digits when what follows surely ends the word, else the general
    /// [`Self::scan_word`].
    #[inline]
    fn scan_ascii_word(&mut self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let run = alnum_run(&bytes[start..]);
        let end = start + run;
        let Some(&c) = bytes.get(end) else {
            return end;
        };
        let prev = bytes[end - 1];
        let next = bytes.get(end + 1).copied().unwrap_or(b' ');
        let ends = match CLASS[c as usize] {
            SPACE => true,
            HIGH => false,
            // A dot goes on after one letter (initialisms) or between digits.
            _ if c == b'.' => {
                let initialism = run == 1 && prev.is_ascii_alphabetic();
                let number = prev.is_ascii_digit() && next.is_ascii_digit();
                !(initialism || number)
            }
            _ if c == b',' => !(prev.is_ascii_digit() && next.is_ascii_digit()),
            // An apostrophe goes on between letters, a hyphen between letters or digits;
            // a non-ASCII next character may be either.
            _ if c == b'\'' => {
                !(prev.is_ascii_alphabetic() && (next.is_ascii_alphabetic() || next >= 0x80))
            }
            _ if c == b'-' => !(next.is_ascii_alphanumeric() || next >= 0x80),
            _ => true,
        };
        if ends {
            end
        } else {
            self.scan_word()
        }
    }

    /// The end of a one-character symbol at `start` with any combining marks after it.
    #[inline]
    fn symbol_end(&self, start: usize) -> usize {
        let mut end = start + 1;
        if self.text.as_bytes().get(end).is_some_and(|&b| b >= 0x80) {
            while let Some(m) = self.char_at(end).filter(|&m| is_combining_mark(m)) {
                end += m.len_utf8();
            }
        }
        end
    }

    /// The next token, by the general rules (any text).
    fn next_slow(&mut self) -> Option<Token> {
        let blank_line = self.skip_space();
        let c = self.char_at(self.pos)?;
        if blank_line && self.started {
            self.para += 1;
        }
        self.started = true;
        let start = self.pos;
        let (end, kind) = if Self::is_word_char(c) {
            (self.scan_word(), TokenKind::Word)
        } else if let Some(end) = (c == '[').then(|| self.scan_note()).flatten() {
            (end, TokenKind::Note)
        } else if c == '.' || c == '-' {
            let run = self.text.as_bytes()[start..]
                .iter()
                .take_while(|&&b| b == c as u8)
                .count();
            (start + run, TokenKind::Punct)
        } else {
            // One symbol with any combining marks that follow it.
            let mut end = start + c.len_utf8();
            while let Some(m) = self.char_at(end).filter(|&m| is_combining_mark(m)) {
                end += m.len_utf8();
            }
            (end, TokenKind::Punct)
        };
        self.pos = end;
        Some(Token {
            start: self.base + start,
            end: self.base + end,
            kind,
            para: self.para,
        })
    }

    /// The next word token, skipping punctuation and footnote markers: what
    /// `self.find(Token::is_word)` gives, faster. Between words on one line of ASCII text,
    /// only the bytes are looked at.
    #[inline]
    pub fn next_word(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        // Most often one space separates two words.
        let start = match bytes.get(self.pos..self.pos + 2) {
            Some(&[b' ', c]) if c.is_ascii_alphanumeric() => self.pos + 1,
            _ => self.pos + plain_run(&bytes[self.pos..]),
        };
        if bytes.get(start).is_some_and(u8::is_ascii_alphanumeric) {
            // Only spaces, tabs and ASCII symbols other than `[` lie before the word: no
            // paragraph break and no footnote marker, and every symbol is a token of its own
            // (or a run of dots or hyphens), so the word starts here.
            self.started = true;
            self.pos = start;
            let end = self.scan_ascii_word(start);
            self.pos = end;
            return Some(Token {
                start: self.base + start,
                end: self.base + end,
                kind: TokenKind::Word,
                para: self.para,
            });
        }
        loop {
            let t = self.next()?;
            if t.kind == TokenKind::Word {
                return Some(t);
            }
        }
    }
}

/// The length of the run at the start of `bytes` of spaces, tabs and ASCII symbols other
/// than `[`: what may lie between two words of one line without affecting them. Stops at
/// letters, digits, line breaks, `[` and non-ASCII bytes.
#[inline]
fn plain_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let stop = !plain_mask(x) & swar::HI;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..].iter().take_while(|&&b| is_plain(b)).count()
}

fn is_plain(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_alphanumeric() && !matches!(b, b'[' | b'\n' | b'\r')
}

/// High bit of each byte of `x` set when the byte is [`is_plain`].
#[inline]
fn plain_mask(x: u64) -> u64 {
    use swar::{between, eq, HI, LO};
    let alnum = between(x, b'0' - 1, b'9' + 1) | between(x | (LO * 0x20), b'a' - 1, b'z' + 1);
    let stop = alnum | eq(x, b'[') | eq(x, b'\n') | eq(x, b'\r') | (x & HI);
    !stop & HI
}

/// Byte-parallel tests on eight bytes in a u64 (Bit Twiddling Hacks).
mod swar {
    pub const LO: u64 = 0x0101_0101_0101_0101;
    pub const HI: u64 = 0x8080_8080_8080_8080;

    /// High bit of each byte set when the byte is ASCII and `m < byte < n` (m, n <= 128):
    /// exact per byte, as no lane borrows from or carries into another.
    #[inline]
    pub fn between(x: u64, m: u8, n: u8) -> u64 {
        let low = x & (LO * 127);
        (LO * (127 + n as u64)).wrapping_sub(low) & !x & (low + LO * (127 - m as u64)) & HI
    }

    /// High bit of each byte set when the byte equals `b` (an ASCII byte).
    #[inline]
    pub fn eq(x: u64, b: u8) -> u64 {
        let y = x ^ (LO * b as u64);
        // A lane is zero exactly when no bit of its low seven is set and its high bit is
        // clear; the sum cannot carry out of a lane.
        !(((y & (LO * 127)) + LO * 127) | y) & HI
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    #[inline]
    fn next(&mut self) -> Option<Token> {
        match self.next_fast() {
            Some(t) => Some(t),
            None => self.next_slow(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tokens of the general path alone.
    fn slow(text: &str) -> Vec<Token> {
        let mut t = Tokenizer::new(text);
        std::iter::from_fn(|| t.next_slow()).collect()
    }

    #[test]
    fn alnum_runs_stop_at_the_first_other_byte() {
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut v = vec![b'x'; 12];
                v[at] = b;
                let want = if b.is_ascii_alphanumeric() { 12 } else { at };
                assert_eq!(alnum_run(&v), want, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn plain_runs_stop_at_words_breaks_brackets_and_non_ascii() {
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut v = vec![b' '; 12];
                v[at] = b;
                let want = if is_plain(b) { 12 } else { at };
                assert_eq!(plain_run(&v), want, "byte {b:#x} at {at}");
            }
        }
    }

    proptest! {
        #[test]
        fn next_word_gives_the_word_tokens(
            pieces in prop::collection::vec(prop_oneof![
                8 => prop::sample::select(vec![
                    "a", "Z", "ab", "x9", "5", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t", "'",
                    "-", "--", ".", ",", "[", "]", "[1]", "!", "(", "é", "\u{301}", "’", "\u{AD}",
                    "\u{A0}", "\u{2029}", "—", "N.K.V.D.", "3.5", "1,000", "\u{B}",
                ]).prop_map(String::from),
                1 => any::<char>().prop_map(String::from),
            ], 0..40),
        ) {
            let text = pieces.concat();
            let all: Vec<Token> = Tokenizer::new(&text).filter(Token::is_word).collect();
            let mut t = Tokenizer::new(&text);
            let words: Vec<Token> = std::iter::from_fn(|| t.next_word()).collect();
            prop_assert_eq!(words, all);
        }

        #[test]
        fn the_ascii_fast_path_gives_the_general_tokens(
            pieces in prop::collection::vec(prop_oneof![
                8 => prop::sample::select(vec![
                    "a", "Z", "ab", "x9", "5", "42", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t",
                    "'", "-", "--", ".", "..", ",", "[", "]", "[1]", "[12", "!", "\"", "(", ")",
                    "é", "e\u{301}", "\u{301}", "’", "\u{AD}", "\u{A0}", "\u{FEFF}", "\u{2029}",
                    "\u{200D}", "ß", "—", "…", "\u{1A}", "\0", "N.K.V.D.", "i.e.", "3.5", "1,000",
                ]).prop_map(String::from),
                1 => any::<char>().prop_map(String::from),
            ], 0..40),
        ) {
            let text = pieces.concat();
            let fast: Vec<Token> = Tokenizer::new(&text).collect();
            prop_assert_eq!(fast, slow(&text));
        }
    }

    fn words(text: &str) -> Vec<&str> {
        Tokenizer::new(text)
            .filter(Token::is_word)
            .map(|t| t.text(text))
            .collect()
    }

    fn all(text: &str) -> Vec<(&str, TokenKind)> {
        Tokenizer::new(text)
            .map(|t| (t.text(text), t.kind))
            .collect()
    }

    #[test]
    fn closing_quote_mark_never_sticks_to_a_word() {
        // The essay opens and closes quotations with the same U+201D.
        let text = "at him: ”Why do your eyes look so shifty today?”";
        assert_eq!(
            words(text),
            ["at", "him", "Why", "do", "your", "eyes", "look", "so", "shifty", "today"]
        );
        assert_eq!(all("”smashed”")[0], ("”", TokenKind::Punct));
        assert_eq!(all("”smashed”")[2], ("”", TokenKind::Punct));
    }

    #[test]
    fn apostrophes_inside_a_word_keep_it_whole() {
        assert_eq!(
            words("Stalin's and Russia’s past"),
            ["Stalin's", "and", "Russia’s", "past"]
        );
        // A trailing apostrophe is not inside a word.
        assert_eq!(words("comrades' corpses"), ["comrades", "corpses"]);
    }

    #[test]
    fn hyphenated_compounds_are_one_word() {
        assert_eq!(
            words("the Russian-Ukrainian worker, down-to-earth, in 1937-38"),
            [
                "the",
                "Russian-Ukrainian",
                "worker",
                "down-to-earth",
                "in",
                "1937-38"
            ]
        );
    }

    #[test]
    fn em_and_en_dashes_separate_words() {
        assert_eq!(
            all("Politbureau—and 1941–42"),
            [
                ("Politbureau", TokenKind::Word),
                ("—", TokenKind::Punct),
                ("and", TokenKind::Word),
                ("1941", TokenKind::Word),
                ("–", TokenKind::Punct),
                ("42", TokenKind::Word)
            ]
        );
        assert_eq!(all("a -- b")[1], ("--", TokenKind::Punct));
    }

    #[test]
    fn initialisms_are_one_word() {
        assert_eq!(
            words("judges and N.K.V.D. men"),
            ["judges", "and", "N.K.V.D.", "men"]
        );
        assert_eq!(words("i.e. the C.P.S.U."), ["i.e.", "the", "C.P.S.U."]);
        // Spaced initials are separate one-letter words; the sentence dot stays punctuation.
        assert_eq!(
            all("N. S. Khrushchev. Stalin."),
            [
                ("N", TokenKind::Word),
                (".", TokenKind::Punct),
                ("S", TokenKind::Word),
                (".", TokenKind::Punct),
                ("Khrushchev", TokenKind::Word),
                (".", TokenKind::Punct),
                ("Stalin", TokenKind::Word),
                (".", TokenKind::Punct)
            ]
        );
    }

    #[test]
    fn initialisms_read_the_same_in_nfd() {
        // Found by the property test: "ǰ" has no precomposed-free NFD form, so in NFD the dot
        // after it follows a combining mark.
        assert_eq!(words("N.K.V.D.\u{1F0}."), ["N.K.V.D.\u{1F0}."]);
        assert_eq!(words("N.K.V.D.j\u{30C}."), ["N.K.V.D.j\u{30C}."]);
        // A Hangul syllable is one letter whether precomposed (NFC) or spelled in
        // conjoining jamo (NFD): U+AC00 is U+1100 U+1161.
        assert_eq!(words("\u{AC00}.N.K.V.D."), ["\u{AC00}.N.K.V.D."]);
        assert_eq!(
            words("\u{1100}\u{1161}.N.K.V.D."),
            ["\u{1100}\u{1161}.N.K.V.D."]
        );
        assert_eq!(words("N.\u{1100}\u{1161}."), ["N.\u{1100}\u{1161}."]);
    }

    #[test]
    fn footnote_markers_are_not_words() {
        assert_eq!(
            all("about Stalin.[1]"),
            [
                ("about", TokenKind::Word),
                ("Stalin", TokenKind::Word),
                (".", TokenKind::Punct),
                ("[1]", TokenKind::Note)
            ]
        );
        assert_eq!(words("[a] [12"), ["a", "12"]);
    }

    #[test]
    fn soft_hyphen_stays_inside_the_word() {
        assert_eq!(
            words("mono\u{AD}lithic party"),
            ["mono\u{AD}lithic", "party"]
        );
    }

    #[test]
    fn nbsp_and_bom_are_spaces() {
        let text = "\u{FEFF}Its\u{A0}one";
        let toks: Vec<_> = Tokenizer::new(text).map(|t| (t.start, t.end)).collect();
        assert_eq!(toks, [(3, 6), (8, 11)]);
    }

    #[test]
    fn numbers_keep_decimal_points_and_thousands() {
        assert_eq!(
            words("383 lists, 3.5 and 1,000."),
            ["383", "lists", "3.5", "and", "1,000"]
        );
    }

    #[test]
    fn blank_lines_start_paragraphs_in_every_line_ending() {
        for text in [
            "a b\n\nc\nd\n\n\ne",
            "a b\r\n\r\nc\r\nd\r\n\r\n\r\ne",
            "a b\r\rc\rd\r\r\re",
        ] {
            let paras: Vec<u32> = Tokenizer::new(text).map(|t| t.para).collect();
            assert_eq!(paras, [0, 0, 1, 1, 2], "{text:?}");
        }
        // Leading blank lines do not make an empty first paragraph.
        assert_eq!(Tokenizer::new("\n\n\nx").next().unwrap().para, 0);
    }

    #[test]
    fn combining_marks_stay_with_their_letters() {
        let nfd = "de\u{301}nouement";
        assert_eq!(words(nfd), [nfd]);
    }
}
