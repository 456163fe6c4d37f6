//! Diffing and collating arbitrary texts with lectio-diff's public API.
//!
//! Checks that nothing panics, that every variant's offsets slice each side to its text
//! with consistent lines, that the summary adds up, that a text compared with itself has
//! no variant, that every collation cell slices its witness, and that reordering the
//! witnesses other than the base only reorders the columns.
#![no_main]

use arbitrary::Arbitrary;
use lectio_diff::{collate, compare, inline, tei, Class, Ignore, Kind, Options, Spelling, Witness};
use lectio_text::LineIndex;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    base: String,
    witness: String,
    third: String,
    spelling: Option<String>,
    ignore_accidentals: bool,
    context: Option<u8>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fuzz_target!(|input: Input| {
    let (base, witness) = (input.base.as_str(), input.witness.as_str());
    let mut opts = Options::default();
    if let Some(list) = &input.spelling {
        if let Ok(s) = Spelling::parse(list) {
            opts.spelling = s;
        }
    }
    if input.ignore_accidentals {
        opts.ignore = Ignore {
            accidentals: true,
            ..Ignore::default()
        };
    }

    let c = compare("base", base, "wit", witness, &opts);
    let (bl, wl) = (LineIndex::new(base), LineIndex::new(witness));
    for (i, v) in c.variants.iter().enumerate() {
        assert_eq!(v.id, i + 1);
        let b = base.get(v.base_start..v.base_end).expect("base span");
        let w = witness
            .get(v.witness_start..v.witness_end)
            .expect("witness span");
        assert_eq!(v.base_text, b, "{v:?}");
        assert_eq!(v.witness_text, w, "{v:?}");
        assert_eq!(v.base_line, bl.line(v.base_start), "{v:?}");
        assert_eq!(v.witness_line, wl.line(v.witness_start), "{v:?}");
        match v.kind {
            Kind::Addition => assert!(b.is_empty() && !w.is_empty(), "{v:?}"),
            Kind::Omission => assert!(!b.is_empty() && w.is_empty(), "{v:?}"),
            Kind::Substitution => assert!(!b.is_empty() && !w.is_empty(), "{v:?}"),
            Kind::Transposition => {
                assert!(
                    v.move_id.is_some() && v.class == Class::Substantive,
                    "{v:?}"
                );
                assert!(v.landed_in_base <= base.len() && v.left_in_witness <= witness.len());
            }
        }
        if v.class == Class::Substantive {
            assert!(v.detail.is_empty(), "{v:?}");
        }
        if input.ignore_accidentals {
            assert_eq!(v.class, Class::Substantive, "{v:?}");
        }
    }
    let s = &c.summary;
    assert_eq!(s.total(), c.variants.len());
    assert_eq!(s.substantive + s.accidental, c.variants.len());
    for k in Kind::ALL {
        assert_eq!(s.kind(k), c.variants.iter().filter(|v| v.kind == k).count());
    }
    assert!(s.aligned_words <= s.base_words.min(s.witness_words));
    assert!((0.0..=1.0).contains(&s.similarity), "{s:?}");
    let _ = inline::render(base, &c, witness, None);
    // Contexts from 0: `Some(0)` once panicked (base "one two", witness "one two three").
    let _ = inline::render(base, &c, witness, input.context.map(|n| n as usize % 9));

    // A text against itself.
    let same = compare("base", base, "same", base, &opts);
    assert!(same.variants.is_empty(), "{:?}", same.variants);
    assert_eq!(same.summary.similarity, 1.0);

    // Three witnesses, and the same with the last two swapped.
    let ws = [
        Witness {
            name: "A",
            text: base,
        },
        Witness {
            name: "B",
            text: witness,
        },
        Witness {
            name: "C",
            text: &input.third,
        },
    ];
    let col = collate(&ws, 0, &opts).expect("three witnesses");
    for seg in &col.segments {
        assert_eq!(seg.cells.len(), 3);
        for (cell, w) in seg.cells.iter().zip(&ws) {
            let slice = w.text.get(cell.start..cell.end).expect("cell span");
            assert_eq!(cell.text, collapse(slice), "{cell:?}");
            assert_eq!(cell.line, LineIndex::new(w.text).line(cell.start));
            assert_eq!(cell.agrees, cell.kind.is_none(), "{cell:?}");
        }
        assert!(seg.cells[0].agrees);
    }
    let mut last = 0;
    for seg in &col.segments {
        let r = seg.base_tokens();
        assert!(r.start >= last, "segments out of base order");
        last = r.end;
    }
    let swapped = collate(&[ws[0], ws[2], ws[1]], 0, &opts).expect("three witnesses");
    let cols = |c: &lectio_diff::Collation, order: [usize; 3]| -> Vec<Vec<(usize, usize, bool)>> {
        c.segments
            .iter()
            .map(|s| {
                order
                    .iter()
                    .map(|&x| (s.cells[x].start, s.cells[x].end, s.cells[x].agrees))
                    .collect()
            })
            .collect()
    };
    assert_eq!(
        cols(&col, [0, 1, 2]),
        cols(&swapped, [0, 2, 1]),
        "witness order changed the table"
    );
    let _ = col.apparatus();
    let mut xml = Vec::new();
    // Fuzzed text may hold characters XML forbids: refusing them is the right outcome.
    match tei::write(&mut xml, &col, &ws, "fuzz", &[]) {
        Ok(()) => assert!(std::str::from_utf8(&xml).is_ok()),
        Err(tei::TeiError::Char { .. } | tei::TeiError::Name { .. }) => {}
        Err(e) => panic!("writing to memory: {e}"),
    }
});
