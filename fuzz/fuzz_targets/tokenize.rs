//! Loading and tokenizing arbitrary bytes.
//!
//! The first byte chooses the load options (lossy, binary) and where to restart
//! tokenizing; the rest is the file. Checks the invariants every command relies on:
//! spans slice the text on character boundaries, in order and without overlap; tokenizing
//! from any line start gives the same tokens as tokenizing the whole text; keys are the
//! keys of the token text; sentences are ordered, within bounds and hold every token;
//! line and column of every token start are consistent with the text.
#![no_main]

use lectio_text::{
    key, sentences, Document, KeyOptions, LineIndex, LoadError, LoadOptions, TokenKind, Tokenized,
    Tokenizer,
};
use libfuzzer_sys::fuzz_target;

const KEY_OPTIONS: [KeyOptions; 4] = [
    KeyOptions {
        case_sensitive: false,
        fold_diacritics: false,
    },
    KeyOptions {
        case_sensitive: true,
        fold_diacritics: false,
    },
    KeyOptions {
        case_sensitive: false,
        fold_diacritics: true,
    },
    KeyOptions {
        case_sensitive: true,
        fold_diacritics: true,
    },
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let opts = LoadOptions {
        lossy: flags & 1 != 0,
        binary: flags & 2 != 0,
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let doc = match Document::from_bytes("fuzz.txt", bytes.to_vec(), opts) {
        Ok(doc) => doc,
        Err(err) => {
            check_error(&err, bytes, opts, utf16);
            return;
        }
    };
    let text = doc.as_str();
    if !utf16 {
        // Offsets are offsets into the file: one byte for one byte.
        assert_eq!(text.len(), bytes.len());
        let changed = text.bytes().zip(bytes).filter(|(a, b)| a != *b).count();
        assert_eq!(doc.replaced_bytes(), changed);
        if !opts.lossy {
            assert_eq!(text.as_bytes(), bytes);
        }
    } else {
        assert!(doc.decoded_from().is_some());
    }
    if !opts.binary {
        assert!(!text.contains('\0'));
    }
    let _ = doc.display(0, text.len());

    let tokens: Vec<_> = Tokenizer::new(text).collect();
    let mut last_end = 0;
    let mut last_para = 0;
    for t in &tokens {
        assert!(t.start < t.end, "{t:?}");
        assert!(t.start >= last_end, "overlap or disorder at {t:?}");
        let s = text.get(t.start..t.end).expect("span on char boundaries");
        assert!(!s.starts_with(char::is_whitespace), "{s:?}");
        assert!(!s.ends_with(char::is_whitespace), "{s:?}");
        assert!(t.para >= last_para);
        // Paragraphs only change across a gap.
        if t.para != last_para {
            assert!(t.start > last_end);
        }
        if t.kind == TokenKind::Note {
            assert!(s.starts_with('[') && s.ends_with(']'));
            assert!(s[1..s.len() - 1].bytes().all(|b| b.is_ascii_digit()));
        }
        let _ = doc.display(t.start, t.end);
        last_end = t.end;
        last_para = t.para;
    }
    // `next_word` is `find(Token::is_word)`, also when mixed with `next`.
    let mut t = Tokenizer::new(text);
    let mut idx = 0;
    for step in 0.. {
        let use_next = (flags >> (step % 8)) & 1 != 0 && step % 3 != 0;
        let (got, want) = if use_next {
            let want = tokens.get(idx).copied();
            idx += 1;
            (t.next(), want)
        } else {
            let j = (idx..tokens.len()).find(|&j| tokens[j].is_word());
            idx = j.map_or(tokens.len(), |j| j + 1);
            (t.next_word(), j.map(|j| tokens[j]))
        };
        assert_eq!(got, want, "step {step}");
        if got.is_none() {
            break;
        }
    }

    // Everything between tokens is whitespace (or a BOM / zero-width space).
    let mut covered = vec![false; text.len()];
    for t in &tokens {
        covered[t.start..t.end].iter_mut().for_each(|c| *c = true);
    }
    for (i, c) in text.char_indices() {
        if !covered[i] {
            assert!(
                c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}',
                "{c:?} at {i} dropped"
            );
        }
    }

    // Line and column of every token start; restarting at a line start changes nothing.
    let lines = LineIndex::new(text);
    for t in &tokens {
        let (line, col) = lines.line_col(text, t.start);
        assert!(line >= 1 && line <= lines.len());
        let ls = lines.line_start(line);
        assert!(ls <= t.start);
        let before = &text[ls..t.start];
        assert!(!before.contains(['\n', '\r']), "{before:?}");
        assert_eq!(col, before.chars().count() + 1);
        assert_eq!(lines.line(t.start), line);
    }
    if lines.len() > 1 {
        let line = 1 + (flags as usize >> 2) % lines.len();
        let from = lines.line_start(line);
        let restarted: Vec<_> = Tokenizer::with_base(&text[from..], from, 0)
            .map(|t| (t.start, t.end, t.kind))
            .collect();
        let whole: Vec<_> = tokens
            .iter()
            .filter(|t| t.start >= from)
            .map(|t| (t.start, t.end, t.kind))
            .collect();
        assert_eq!(restarted, whole, "restarting at line {line} (byte {from})");
    }

    // Keys: never panic, and interning gives back the key of each token.
    for opts in KEY_OPTIONS {
        let tz = Tokenized::new(text, opts);
        assert_eq!(tz.tokens, tokens);
        for (i, t) in tz.tokens.iter().enumerate() {
            assert_eq!(tz.key(i), key(t.text(text), opts));
        }
        let words = Tokenized::words(text, opts);
        assert_eq!(
            words.tokens.len(),
            tokens.iter().filter(|t| t.is_word()).count()
        );
    }

    // Sentences: ordered, within bounds, on token boundaries, and every token in one.
    let sents = sentences(text);
    let mut last_end = 0;
    let mut last_para = 0;
    for s in &sents {
        assert!(s.start < s.end && s.end <= text.len(), "{s:?}");
        assert!(s.start >= last_end, "{s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(s.para >= last_para);
        last_end = s.end;
        last_para = s.para;
    }
    let mut k = 0;
    for t in &tokens {
        while k < sents.len() && sents[k].end <= t.start {
            k += 1;
        }
        let s = sents
            .get(k)
            .unwrap_or_else(|| panic!("{t:?} in no sentence"));
        assert!(
            s.start <= t.start && t.end <= s.end,
            "{t:?} not inside {s:?}"
        );
        assert_eq!(s.para, t.para, "{t:?} in {s:?}");
    }
    assert_eq!(sents.is_empty(), tokens.is_empty());
});

fn check_error(err: &LoadError, bytes: &[u8], opts: LoadOptions, utf16: bool) {
    match err {
        LoadError::Binary { offset, .. } => {
            assert!(!opts.binary);
            if !utf16 {
                assert_eq!(bytes[*offset], 0);
                assert!(!bytes[..*offset].contains(&0));
            }
        }
        LoadError::InvalidUtf8 { offset, line, .. } => {
            assert!(!opts.lossy && !utf16);
            let valid = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
            assert_eq!(*offset, valid);
            assert!(*line >= 1);
        }
        LoadError::InvalidUtf16 { offset, .. } => {
            assert!(!opts.lossy && utf16);
            assert!(*offset < bytes.len());
        }
        other => panic!("unexpected error from bytes: {other}"),
    }
}
