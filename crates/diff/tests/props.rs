//! Properties of comparison and collation that must hold for every pair of texts.

use lectio_diff::{collate, compare, Comparison, Kind, Options, Witness};
use lectio_text::{Token, Tokenizer};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Pieces of text: words that differ in case, spelling, diacritics, normalization form and
/// hyphenation, punctuation that differs in kind, footnote markers, paragraph breaks.
const PIECES: &[&str] = &[
    "the",
    "The",
    "black",
    "Black",
    "cat",
    "sat",
    "on",
    "a",
    "mat",
    "dog",
    "and",
    "colour",
    "color",
    "naïve",
    "nai\u{308}ve",
    "naive",
    "down-to-earth",
    "down",
    "to",
    "earth",
    ",",
    ".",
    ";",
    "”",
    "“",
    "\"",
    "—",
    "–",
    "[1]",
    "?",
    "\n\n",
];

fn pieces() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24)
}

/// An edit of a list of pieces: delete, insert, replace, or move a run elsewhere.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, &'static str),
    Replace(prop::sample::Index, &'static str),
    Move(prop::sample::Index, usize, prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = prop::sample::select(PIECES);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (any::<prop::sample::Index>(), piece.clone()).prop_map(|(i, p)| Edit::Insert(i, p)),
        (any::<prop::sample::Index>(), piece).prop_map(|(i, p)| Edit::Replace(i, p)),
        (
            any::<prop::sample::Index>(),
            1usize..8,
            any::<prop::sample::Index>()
        )
            .prop_map(|(i, n, j)| Edit::Move(i, n, j)),
    ]
}

fn apply_edits(base: &[&'static str], edits: &[Edit]) -> Vec<&'static str> {
    let mut w = base.to_vec();
    for e in edits {
        match e {
            Edit::Delete(i) if !w.is_empty() => {
                w.remove(i.index(w.len()));
            }
            Edit::Insert(i, p) => w.insert(i.index(w.len() + 1), p),
            Edit::Replace(i, p) if !w.is_empty() => {
                let i = i.index(w.len());
                w[i] = p;
            }
            Edit::Move(i, n, j) if !w.is_empty() => {
                let i = i.index(w.len());
                let run: Vec<_> = w.drain(i..(i + n).min(w.len())).collect();
                let j = j.index(w.len() + 1);
                w.splice(j..j, run);
            }
            _ => {}
        }
    }
    w
}

/// A witness and a base that share most of their text.
fn related() -> impl Strategy<Value = (String, String)> {
    (pieces(), prop::collection::vec(edit(), 0..6), any::<bool>()).prop_map(
        |(base, edits, newlines)| {
            let witness = apply_edits(&base, &edits);
            // Whitespace and line wrapping are never variants.
            let sep = if newlines { "\n" } else { " " };
            (base.join(" "), witness.join(sep))
        },
    )
}

/// A token as the comparison compares it: soft hyphens and joiners dropped, NFC.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}'))
        .nfc()
        .collect()
}

fn tokens(text: &str) -> Vec<Token> {
    Tokenizer::new(text).collect()
}

/// A token's text, and whether it is a word.
type Tok = (String, bool);

/// The base's tokens with every variant applied: each reading replaced by the witness's,
/// each transposed passage taken out where it left and put in where it landed (variants
/// inside a moved passage are already in the witness's reading of it). Tokens as their
/// text and whether they are words.
fn apply(base: &str, witness: &str, c: &Comparison) -> Vec<Tok> {
    let bt = tokens(base);
    let wt = tokens(witness);
    let within = |toks: &[Token], s: usize, e: usize| -> Vec<usize> {
        (0..toks.len())
            .filter(|&i| toks[i].start >= s && toks[i].end <= e)
            .collect()
    };
    let gap = |at: usize| bt.partition_point(|t| t.end <= at);
    let mut replaced = vec![false; bt.len()];
    // (base position, witness offset, witness tokens)
    let mut inserts: Vec<(usize, usize, Vec<Tok>)> = Vec::new();
    for v in &c.variants {
        if v.move_id.is_some() && v.kind != Kind::Transposition {
            continue;
        }
        let b = within(&bt, v.base_start, v.base_end);
        if v.base_start < v.base_end {
            // Readings are whole tokens.
            assert!(!b.is_empty(), "{v:?}");
            assert_eq!(bt[b[0]].start, v.base_start, "{v:?}");
            assert_eq!(bt[*b.last().unwrap()].end, v.base_end, "{v:?}");
        }
        for &i in &b {
            assert!(!replaced[i], "token {i} in two variants: {v:?}");
            replaced[i] = true;
        }
        let w: Vec<Tok> = within(&wt, v.witness_start, v.witness_end)
            .into_iter()
            .map(|j| (wt[j].text(witness).to_string(), wt[j].is_word()))
            .collect();
        let at = if v.kind == Kind::Transposition {
            gap(v.landed_in_base)
        } else {
            b.first().copied().unwrap_or_else(|| gap(v.base_start))
        };
        inserts.push((at, v.witness_start, w));
    }
    // Places with only replaced tokens between them are one place: what is put in there
    // goes in the witness's order.
    let mut kept_before = Vec::with_capacity(bt.len() + 1);
    let mut kept = 0;
    for &r in &replaced {
        kept_before.push(kept);
        kept += usize::from(!r);
    }
    kept_before.push(kept);
    inserts.sort_by_key(|i| (kept_before[i.0], i.1));
    let mut out = Vec::new();
    let mut next = inserts.into_iter().peekable();
    for g in 0..=bt.len() {
        while let Some((_, _, w)) = next.next_if(|i| kept_before[i.0] == kept_before[g]) {
            out.extend(w);
        }
        if g < bt.len() && !replaced[g] {
            out.push((bt[g].text(base).to_string(), bt[g].is_word()));
        }
    }
    out
}

/// [`apply`], normalized as the comparison compares tokens.
fn applied(base: &str, witness: &str, c: &Comparison) -> Vec<String> {
    apply(base, witness, c)
        .into_iter()
        .map(|t| norm(&t.0))
        .collect()
}

/// The witness's tokens (words and punctuation), normalized.
fn witness_tokens(witness: &str) -> Vec<String> {
    tokens(witness)
        .iter()
        .map(|t| norm(t.text(witness)))
        .collect()
}

/// With punctuation too, the variants give the witness's tokens: a passage moved in
/// between two marks the base also has lands between them (found by the property above
/// when it still compared punctuation).
#[test]
fn the_variants_applied_to_the_base_give_the_witness_tokens() {
    let base = "the the the the . ? cat ? the ? the the the ? sat ? the the";
    let witness = "the the ? sat ? sat . the ? cat the the the the the ? the the";
    let c = compare("base", base, "witness", witness, &Options::default());
    // Once gave "the the ? ? sat sat . the ..." ("sat" landed after the second "?").
    assert_eq!(applied(base, witness, &c), witness_tokens(witness));
}

/// The table of a collation: per segment, each witness's cell.
type Table = Vec<Vec<(usize, usize, String, bool, Option<Kind>)>>;

fn table(ws: &[Witness], base: usize) -> Table {
    let c = collate(ws, base, &Options::default()).unwrap();
    c.segments
        .iter()
        .map(|s| {
            s.cells
                .iter()
                .map(|c| (c.start, c.end, c.text.clone(), c.agrees, c.kind))
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_variants_applied_to_the_base_give_the_witness_tokens_on_any_text((base, witness) in related()) {
        let c = compare("base", &base, "witness", &witness, &Options::default());
        prop_assert_eq!(applied(&base, &witness, &c), witness_tokens(&witness), "variants: {:#?}", c.variants);
    }

    #[test]
    fn collation_does_not_depend_on_the_order_of_the_witnesses(
        (base, w1) in related(),
        edits2 in prop::collection::vec(edit(), 0..6),
        edits3 in prop::collection::vec(edit(), 0..6),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        // Two more witnesses made from the first one.
        let words: Vec<&'static str> = w1
            .split_whitespace()
            .filter_map(|w| PIECES.iter().copied().find(|p| *p == w))
            .collect();
        let w2 = apply_edits(&words, &edits2).join(" ");
        let w3 = apply_edits(&words, &edits3).join(" ");
        let texts = [base.as_str(), w1.as_str(), w2.as_str(), w3.as_str()];
        let names = ["A", "B", "C", "D"];
        let ws: Vec<Witness> = (0..4).map(|x| Witness { name: names[x], text: texts[x] }).collect();
        let shuffled: Vec<Witness> = order.iter().map(|&x| ws[x]).collect();
        let base_at = order.iter().position(|&x| x == 0).unwrap();
        let a = table(&ws, 0);
        let b = table(&shuffled, base_at);
        // Column x of the shuffled table is witness order[x].
        let b_back: Table = b
            .into_iter()
            .map(|row| (0..4).map(|x| row[order.iter().position(|&o| o == x).unwrap()].clone()).collect())
            .collect();
        prop_assert_eq!(a, b_back);
    }
}
