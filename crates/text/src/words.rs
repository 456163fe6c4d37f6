//! The word spans of a text, 64 bytes at a time: the hot loop of counting words.
//!
//! Profiling `lectio freq` showed the tokenizer, word by word, at about 350 MB/s: each word
//! took a few branches that the length of the word and the byte after it make
//! unpredictable. Here each 64-byte block is classified into bit masks (letters and digits,
//! bytes that surely separate words, whitespace), and the words of the block are read off
//! the masks. A run of ASCII letters and digits between two bytes that surely separate
//! words (whitespace, or an ASCII symbol other than `.` `,` `'` `-` `[`) is a word whatever
//! the rules; anything else (a possible joiner, a footnote bracket, any non-ASCII byte, a
//! word longer than a block) is handed to the [`Tokenizer`] from the last point known to be
//! between tokens, so the result is the tokenizer's by construction (and a property test
//! checks it).

use crate::token::Tokenizer;

/// A letter or digit.
const ALNUM: u8 = 1;
/// Whitespace, or an ASCII symbol that neither joins words nor starts a footnote marker.
const SEPARATES: u8 = 2;
/// ASCII whitespace (no token contains it, so the byte after it starts one).
const SPACE: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SEPARATES | SPACE,
            b'.' | b',' | b'\'' | b'-' | b'[' => 0,
            _ => SEPARATES,
        };
        b += 1;
    }
    t
};

/// The masks of one block: bit i describes byte i.
#[derive(Debug, PartialEq, Eq)]
struct Masks {
    alnum: u64,
    /// Bytes of non-ASCII characters, which may be letters.
    high: u64,
    separates: u64,
    space: u64,
    digit: u64,
    dot: u64,
    comma: u64,
}

/// The masks of a block, one byte at a time (any target; the reference for the others).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline]
fn masks_portable(block: &[u8; 64]) -> Masks {
    let (mut alnum, mut high, mut separates, mut space) = (0u64, 0u64, 0u64, 0u64);
    let (mut digit, mut dot, mut comma) = (0u64, 0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        let c = CLASS[b as usize] as u64;
        alnum |= (c & 1) << i;
        high |= ((b >> 7) as u64) << i;
        separates |= ((c >> 1) & 1) << i;
        space |= ((c >> 2) & 1) << i;
        digit |= u64::from(b.is_ascii_digit()) << i;
        dot |= u64::from(b == b'.') << i;
        comma |= u64::from(b == b',') << i;
    }
    Masks {
        alnum,
        high,
        separates,
        space,
        digit,
        dot,
        comma,
    }
}

/// The masks of a block, sixteen bytes at a time with SSE2 (part of every x86-64 CPU):
/// byte-at-a-time classification took a third of the time of counting words.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn masks(block: &[u8; 64]) -> Masks {
    // SAFETY: this is compiled only for targets with SSE2 enabled (every x86-64 CPU has it,
    // and it is on by default for x86-64 targets).
    unsafe { masks_sse2(block) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn masks_sse2(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let (mut alnum, mut high, mut tricky, mut space) = (0u64, 0u64, 0u64, 0u64);
    let (mut digit, mut dot, mut comma) = (0u64, 0u64, 0u64);
    let splat = |b: u8| _mm_set1_epi8(b as i8);
    for (k, part) in block.chunks_exact(16).enumerate() {
        let lo = u64::from_le_bytes(part[..8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(part[8..].try_into().expect("8 bytes"));
        let v = _mm_set_epi64x(hi as i64, lo as i64);
        // Signed comparisons: bytes from 0x80 up are negative, below every ASCII bound.
        let within = |v: __m128i, first: u8, last: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(first - 1)),
                _mm_cmpgt_epi8(splat(last + 1), v),
            )
        };
        let letter = within(_mm_or_si128(v, splat(0x20)), b'a', b'z');
        let d = within(v, b'0', b'9');
        let a = _mm_or_si128(d, letter);
        let sp = _mm_or_si128(_mm_cmpeq_epi8(v, splat(b' ')), within(v, b'\t', b'\r'));
        let eq = |b: u8| _mm_cmpeq_epi8(v, splat(b));
        let (dt, cm) = (eq(b'.'), eq(b','));
        let t = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(dt, cm), _mm_or_si128(eq(b'\''), eq(b'-'))),
            eq(b'['),
        );
        let bits = |m: __m128i| (_mm_movemask_epi8(m) as u32 as u64) << (16 * k);
        digit |= bits(d);
        dot |= bits(dt);
        comma |= bits(cm);
        alnum |= bits(a);
        high |= bits(v);
        tricky |= bits(t);
        space |= bits(sp);
    }
    Masks {
        alnum,
        high,
        separates: !(alnum | high | tricky),
        space,
        digit,
        dot,
        comma,
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn masks(block: &[u8; 64]) -> Masks {
    masks_portable(block)
}

/// Does the word `block[s..end]` end before the `.` or `,` at `end`, as the tokenizer
/// decides it (`Tokenizer::scan_ascii_word`)? A dot goes on after a one-letter word
/// (initialisms) or between digits, a comma between digits; `false` for any other byte, and
/// when the byte after `end` is in the next block.
#[inline]
fn ends_at(block: &[u8; 64], s: u32, end: u32) -> bool {
    let (s, end) = (s as usize, end as usize);
    let (Some(&c), Some(&next)) = (block.get(end), block.get(end + 1)) else {
        return false;
    };
    let prev = block[end - 1];
    let number = prev.is_ascii_digit() && next.is_ascii_digit();
    match c {
        b'.' => !(end - s == 1 && prev.is_ascii_alphabetic() || number),
        b',' => !number,
        _ => false,
    }
}

/// Calls `f(start, end)` with the span of every word of `text`, in order: exactly the word
/// tokens of `Tokenizer::with_base(text, base, 0)`, spans offset by `base`.
pub fn for_each_word(text: &str, base: usize, mut f: impl FnMut(usize, usize)) {
    scan::<false>(text, base, &mut f, &mut 0);
}

/// The number of words of `text`: the words [`for_each_word`] gives, counted. A block whose
/// words are all sure (separated on both sides, or ended by a dot or comma that cannot join)
/// is counted at once from its masks.
pub fn count_words(text: &str) -> u64 {
    let (mut one_by_one, mut at_once) = (0, 0);
    scan::<true>(text, 0, &mut |_, _| one_by_one += 1, &mut at_once);
    one_by_one + at_once
}

/// The scanner: words go to `f`, except, when `COUNT`, those of blocks counted at once,
/// which are added to `counted`.
fn scan<const COUNT: bool>(
    text: &str,
    base: usize,
    f: &mut impl FnMut(usize, usize),
    counted: &mut u64,
) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // A point between tokens at or before `pos` after which no word has been given yet.
    let mut boundary = 0;
    let mut tokenizer: Option<Tokenizer<'_>> = None;
    while pos < bytes.len() {
        let (block, full) = match bytes.get(pos..pos + 64) {
            Some(b) => (*<&[u8; 64]>::try_from(b).expect("64 bytes"), true),
            None => {
                // The end of the text separates like a space.
                let mut b = [b' '; 64];
                b[..bytes.len() - pos].copy_from_slice(&bytes[pos..]);
                (b, false)
            }
        };
        let m = masks(&block);
        let before_pos = pos == 0 || CLASS[bytes[pos - 1] as usize] & SEPARATES != 0;
        // Bit i: the byte before byte i separates words.
        let separated_before = (m.separates << 1) | u64::from(before_pos);
        let mut starts = m.alnum & !(m.alnum << 1);
        let lasts = m.alnum & !(m.alnum >> 1);
        if COUNT && m.high == 0 {
            if let Some(read) = count_block(&m, full, starts, lasts, separated_before) {
                *counted += u64::from(read.words);
                // The byte after the last word or whitespace starts a token.
                boundary = boundary.max(pos + read.boundary as usize);
                pos += read.len as usize;
                continue;
            }
        }
        let mut next = pos + 64;
        let mut handover = None;
        // A non-ASCII character may be (part of) a word: the tokenizer reads it.
        let high = m.high.trailing_zeros();
        while starts != 0 {
            let s = starts.trailing_zeros();
            if s > high {
                break;
            }
            let last = s + (lasts >> s).trailing_zeros();
            if full && last == 63 {
                // The run may go on in the next block: start that block with it, unless it
                // fills this one (a word of 64 bytes or more).
                match s {
                    0 => handover = Some(pos + 1),
                    _ => next = pos + s as usize,
                }
                break;
            }
            let end = last + 1;
            if (separated_before >> s) & 1 == 0
                || (m.separates >> end) & 1 == 0 && !ends_at(&block, s, end)
            {
                handover = Some(pos + end as usize);
                break;
            }
            f(base + pos + s as usize, base + pos + end as usize);
            boundary = pos + end as usize;
            starts &= starts - 1;
        }
        if handover.is_none() && (high as usize) < next - pos {
            handover = Some(pos + high as usize + 1);
        }
        if let Some(past) = handover {
            let t = tokenizer.get_or_insert_with(|| Tokenizer::new(text));
            t.set_pos(boundary);
            for token in t.by_ref() {
                if token.is_word() {
                    f(base + token.start, base + token.end);
                }
                if token.end >= past {
                    break;
                }
            }
            pos = t.pos().max(past);
            boundary = pos;
            continue;
        }
        // Everything before `next` is read; the byte after its last whitespace starts a
        // token.
        let read = (next - pos) as u32;
        let space = m.space & (u64::MAX >> (64 - read));
        if space != 0 {
            boundary = boundary.max(pos + 64 - space.leading_zeros() as usize);
        }
        pos = next;
    }
}

/// What [`count_block`] read of a block.
struct Counted {
    /// Words.
    words: u32,
    /// Bytes read: the block, or up to a word that may go on in the next block.
    len: u32,
    /// A point between tokens within the bytes read, relative to the block.
    boundary: u32,
}

/// The words of an ASCII block counted from its masks, when every word in it is sure: its
/// start follows a byte that separates words, and the byte after it separates words or is
/// a `,` not between digits or a `.` neither between digits nor after a one-letter word
/// (the rules of `ends_at`, on all the words at once). `None` when one is not (or a word
/// fills the block): the block is then read word by word.
#[inline]
fn count_block(
    m: &Masks,
    full: bool,
    starts: u64,
    lasts: u64,
    separated_before: u64,
) -> Option<Counted> {
    const TOP: u64 = 1 << 63;
    // A word that reaches the end of a full block may go on: leave it to the next block.
    let (starts, lasts, len) = if full && lasts & TOP != 0 {
        let s = 63 - starts.leading_zeros();
        if s == 0 {
            return None;
        }
        (starts & !(1 << s), lasts & !TOP, s)
    } else {
        (starts, lasts, 64)
    };
    // Bit i: bytes i - 1 and i + 1 are digits (unknown for the last byte: not sure).
    let number = (m.digit << 1) & (m.digit >> 1) | TOP;
    // Bit i: byte i - 1 is a letter that is a whole word (byte i - 2 is not a letter or a
    // digit; for i = 1, the byte before the block, which separates when every start does).
    let one_letter = ((m.alnum & !m.digit) << 1) & !(m.alnum << 2);
    let ends = m.separates | (m.comma & !number) | (m.dot & !number & !one_letter);
    if starts & !separated_before != 0 || lasts & !(ends >> 1) != 0 {
        return None;
    }
    let read = u64::MAX >> (64 - len);
    let last_word = 64 - lasts.leading_zeros();
    let space = m.space & read;
    let after_space = if space == 0 {
        0
    } else {
        64 - space.leading_zeros()
    };
    Some(Counted {
        words: starts.count_ones(),
        len,
        boundary: last_word.max(after_space),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Token;
    use proptest::prelude::*;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for_each_word(text, 7, |s, e| v.push((s, e)));
        v
    }

    fn tokenizer_spans(text: &str) -> Vec<(usize, usize)> {
        Tokenizer::with_base(text, 7, 0)
            .filter(Token::is_word)
            .map(|t| (t.start, t.end))
            .collect()
    }

    #[test]
    fn masks_classify_every_byte() {
        for b in 0..=255u8 {
            for at in [0, 1, 31, 62, 63] {
                let mut block = [b'x'; 64];
                block[at] = b;
                let m = masks(&block);
                let bit = |mask: u64| mask >> at & 1 == 1;
                assert_eq!(bit(m.alnum), b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(bit(m.high), !b.is_ascii(), "{b:#x}");
                assert_eq!(bit(m.digit), b.is_ascii_digit(), "{b:#x}");
                assert_eq!(bit(m.dot), b == b'.', "{b:#x}");
                assert_eq!(bit(m.comma), b == b',', "{b:#x}");
                assert_eq!(
                    bit(m.space),
                    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '),
                    "{b:#x}"
                );
                let separates = b.is_ascii()
                    && !b.is_ascii_alphanumeric()
                    && !matches!(b, b'.' | b',' | b'\'' | b'-' | b'[');
                assert_eq!(bit(m.separates), separates, "{b:#x}");
            }
        }
    }

    #[test]
    fn masks_agree_with_the_byte_at_a_time_reference() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut block = [0u8; 64];
            for b in block.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly ASCII, where the classes are.
                *b = if x.is_multiple_of(5) {
                    (x >> 8) as u8
                } else {
                    (x >> 8) as u8 & 0x7F
                };
            }
            assert_eq!(masks(&block), masks_portable(&block), "{block:?}");
        }
    }

    #[test]
    fn words_across_blocks_long_words_and_joiners() {
        let long = "x".repeat(150);
        let text = format!(
            "{} Stalin's N.K.V.D. 1937-38 {long} 3.5 [12] [ab] 1,000 élite Russia’s end",
            "word ".repeat(20)
        );
        assert_eq!(spans(&text), tokenizer_spans(&text));
        // 20 × "word", then Stalin's, N.K.V.D., 1937-38, the long word, 3.5, ab, 1,000, élite,
        // Russia’s, end; [12] is a footnote marker.
        assert_eq!(count_words(&text), 30);
        // Every split point of a text with a word across it.
        for pad in 0..70 {
            let text = format!("{}abcdefgh.ij k-l m", " ".repeat(pad));
            assert_eq!(spans(&text), tokenizer_spans(&text), "pad {pad}");
        }
        // Each joiner and each word ending at a dot or comma at every place in a block,
        // the first and the last byte included (a number across two blocks, say).
        for tail in [
            "3.5", "1,000", "12,a", "a.b.", "N.K.V.D.", "x.y", "ab, cd.", "a. b",
        ] {
            for pad in 0..140 {
                let text = format!("{}{tail} end", "w ".repeat(pad / 2) + &" ".repeat(pad % 2));
                let words = tokenizer_spans(&text).len() as u64;
                assert_eq!(count_words(&text), words, "{text:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        #[test]
        fn the_words_are_the_tokenizers(
            pieces in prop::collection::vec(prop_oneof![
                8 => prop::sample::select(vec![
                    "a", "Z", "ab", "word", "x9", "5", "42", " ", "  ", "\n", "\n\n", "\r\n",
                    "\r", "\t", "'", "-", "--", ".", "..", ",", "[", "]", "[1]", "[12", "!",
                    "\"", "(", ")", "é", "e\u{301}", "\u{301}", "’", "\u{AD}", "\u{A0}",
                    "\u{FEFF}", "\u{2029}", "\u{200D}", "ß", "—", "…", "\u{1A}", "\0",
                    "N.K.V.D.", "i.e.", "3.5", "1,000", "abcdefghijklmnopqrstuvwxyz0123456789",
                ]).prop_map(String::from),
                1 => any::<char>().prop_map(String::from),
            ], 0..200),
        ) {
            let text = pieces.concat();
            let want = tokenizer_spans(&text);
            prop_assert_eq!(spans(&text), want.clone());
            prop_assert_eq!(count_words(&text), want.len() as u64);
        }
    }
}
