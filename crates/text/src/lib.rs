//! lectio-text: the token model shared by every lectio command.
//!
//! A [`Document`] holds the bytes of one file exactly as they are on disk (validated as
//! UTF-8); the [`Tokenizer`] walks it and yields [`Token`]s that carry their byte span in
//! that file, so `doc.as_str()[token.start..token.end]` is always the original text. Keys,
//! the normalized forms that lectio matches and aligns on, are computed per token with
//! [`key_into`]; the text itself is never normalized before offsets are taken.

mod error;
mod hint;
mod lines;
mod load;
mod normalize;
mod progress;
mod sentence;
mod token;
mod vocab;
mod words;

pub use error::LoadError;
pub use hint::prefetch;
pub use lines::LineIndex;
pub use load::{
    file_id, Document, LoadOptions, Opened, Unchecked, LOSSY_PLACEHOLDER, MMAP_THRESHOLD,
};
pub use normalize::{fold_diacritics, key, key_into, KeyOptions, ASCII_KEY_BRIDGES};
pub use progress::{Progress, ProgressLog};
pub use sentence::{sentences, Sentence};
pub use token::{Token, TokenKind, Tokenizer};
pub use vocab::{Sym, Tokenized, Vocab};
pub use words::{count_words, for_each_word};
