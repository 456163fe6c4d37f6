//! Tokenizing a witness and keying its words for alignment.

use lectio_text::{LineIndex, Token, TokenKind, Tokenizer};

use crate::classify::{loose_key_into, Spelling};

/// A witness ready for alignment: its tokens, the words among them and their keys.
pub(crate) struct Prepared<'a> {
    /// The witness text, as on disk.
    pub text: &'a str,
    /// Every token (words, punctuation, footnote markers) in order.
    pub tokens: Vec<Token>,
    /// Token index of each word. Footnote markers count as words: they drive the
    /// alignment and their loss is substantive.
    pub words: Vec<u32>,
    /// Alignment key of each word (a hash of its loose key).
    pub wkey: Vec<u64>,
    /// Word index at which each sentence starts, then `words.len()`.
    pub sentences: Vec<u32>,
    /// Word index at which each paragraph starts, then `words.len()`. Paragraph starts
    /// are sentence starts.
    pub paras: Vec<u32>,
    /// Line numbers.
    pub lines: LineIndex,
}

/// 64-bit FNV-1a: a fixed, fast hash, so that keys and results never vary between runs.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = FNV_OFFSET;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub(crate) fn hash_words(keys: &[u64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ keys.len() as u64;
    for &k in keys {
        h ^= k;
        h = h.wrapping_mul(0x0000_0100_0000_01b3).rotate_left(23);
    }
    h
}

fn ends_sentence(tok: &str) -> bool {
    matches!(tok, "!" | "?" | "\u{2026}" | "\u{203D}")
        || (!tok.is_empty() && tok.bytes().all(|b| b == b'.'))
}

impl<'a> Prepared<'a> {
    /// Tokenizes and keys `text`.
    pub fn new(text: &'a str, spelling: &Spelling) -> Prepared<'a> {
        let tokens: Vec<Token> = Tokenizer::new(text).collect();
        let mut words = Vec::with_capacity(tokens.len());
        let mut wkey = Vec::with_capacity(tokens.len());
        let mut sentences = Vec::new();
        let mut paras = Vec::new();
        let mut buf = String::new();
        let no_spelling = spelling.is_empty();
        let mut new_sentence = true;
        let mut last_para = u32::MAX;
        for (i, t) in tokens.iter().enumerate() {
            if t.kind == TokenKind::Punct {
                if ends_sentence(t.text(text)) {
                    new_sentence = true;
                }
                continue;
            }
            if t.para != last_para {
                new_sentence = true;
                last_para = t.para;
                paras.push(words.len() as u32);
            }
            if new_sentence {
                sentences.push(words.len() as u32);
                new_sentence = false;
            }
            let word = t.text(text);
            let key = if no_spelling && word.is_ascii() {
                // The loose key of an ASCII word is its lower case without hyphens: hash
                // it without building it (the same hash as `hash_str` of the key).
                let mut h: u64 = FNV_OFFSET;
                for b in word.bytes().filter(|&b| b != b'-') {
                    h ^= b.to_ascii_lowercase() as u64;
                    h = h.wrapping_mul(FNV_PRIME);
                }
                h
            } else {
                loose_key_into(word, &mut buf);
                match spelling.canonical(&buf) {
                    Some(c) => hash_str(c),
                    None => hash_str(&buf),
                }
            };
            words.push(i as u32);
            wkey.push(key);
        }
        sentences.push(words.len() as u32);
        if paras.is_empty() {
            paras.push(0);
        }
        paras.push(words.len() as u32);
        Prepared {
            text,
            lines: LineIndex::new(text),
            tokens,
            words,
            wkey,
            sentences,
            paras,
        }
    }

    /// The text of token `i`.
    pub fn tok(&self, i: usize) -> &'a str {
        self.tokens[i].text(self.text)
    }

    /// True when token `i` is a word (or footnote marker).
    pub fn is_word(&self, i: usize) -> bool {
        self.tokens[i].kind != TokenKind::Punct
    }

    /// The byte offset where something inserted before token `i` goes: the end of the
    /// token before it (0 at the start of the text).
    pub fn insertion_point(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.tokens[i - 1].end
        }
    }

    /// Byte span of tokens `r` (the insertion point when `r` is empty).
    pub fn span(&self, r: std::ops::Range<usize>) -> (usize, usize) {
        if r.is_empty() {
            let p = self.insertion_point(r.start);
            (p, p)
        } else {
            (self.tokens[r.start].start, self.tokens[r.end - 1].end)
        }
    }

    /// Index of the sentence holding word `w`.
    pub fn sentence_of(&self, w: usize) -> usize {
        self.sentences.partition_point(|&s| s as usize <= w) - 1
    }

    /// True when word `w` is the whole of a sentence span `[w, w + len)`.
    pub fn is_sentence(&self, w: u32, len: u32) -> bool {
        match self.sentences.binary_search(&w) {
            Ok(k) => self.sentences.get(k + 1) == Some(&(w + len)),
            Err(_) => false,
        }
    }
}
