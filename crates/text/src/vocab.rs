use rustc_hash::FxHashMap;

use crate::{key_into, KeyOptions, Token, TokenKind, Tokenizer};

/// An interned key: an index into a [`Vocab`].
pub type Sym = u32;

/// Interned keys, so that each distinct key is stored once and tokens carry a number.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    // Fx: keys are short strings; SipHash's DoS resistance buys nothing here.
    ids: FxHashMap<Box<str>, Sym>,
    keys: Vec<Box<str>>,
}

impl Vocab {
    /// The symbol of `key`, adding it if new.
    pub fn intern(&mut self, key: &str) -> Sym {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.keys.len() as Sym;
        self.keys.push(key.into());
        self.ids.insert(key.into(), id);
        id
    }

    /// The symbol of `key`, if it was interned.
    pub fn get(&self, key: &str) -> Option<Sym> {
        self.ids.get(key).copied()
    }

    /// The key of a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        &self.keys[sym as usize]
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// All keys in symbol order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| &**k)
    }
}

/// A text's tokens with one interned key per token.
#[derive(Debug, Clone)]
pub struct Tokenized {
    /// Every token in document order.
    pub tokens: Vec<Token>,
    /// `keys[i]` is the key of `tokens[i]`.
    pub keys: Vec<Sym>,
    /// The keys' strings.
    pub vocab: Vocab,
}

impl Tokenized {
    /// Tokenizes `text` and keys every token (words and punctuation alike) with `opts`.
    pub fn new(text: &str, opts: KeyOptions) -> Self {
        let mut vocab = Vocab::default();
        let mut buf = String::new();
        let (tokens, keys) = Tokenizer::new(text)
            .map(|t| {
                key_into(t.text(text), opts, &mut buf);
                (t, vocab.intern(&buf))
            })
            .unzip();
        Tokenized {
            tokens,
            keys,
            vocab,
        }
    }

    /// Only the words, keyed with `opts`; punctuation and footnote markers are left out.
    pub fn words(text: &str, opts: KeyOptions) -> Self {
        let mut vocab = Vocab::default();
        let mut buf = String::new();
        let (tokens, keys) = Tokenizer::new(text)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| {
                key_into(t.text(text), opts, &mut buf);
                (t, vocab.intern(&buf))
            })
            .unzip();
        Tokenized {
            tokens,
            keys,
            vocab,
        }
    }

    /// The key string of token `i`.
    pub fn key(&self, i: usize) -> &str {
        self.vocab.resolve(self.keys[i])
    }
}
