//! `lectio collocates` end to end: "single" near "party" in the essay, checked by hand.

mod common;

use common::*;
use lectio_text::{key, KeyOptions, Tokenizer};

fn collocates_csv(args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["collocates"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    let run = lectio(&all);
    assert_eq!(run.code, 0, "{run:?}");
    csv_rows(&run.stdout)
}

/// The essay's words as (key, paragraph), from the tokenizer alone.
fn essay_words() -> Vec<(String, u32)> {
    let text = essay_text();
    Tokenizer::new(&text)
        .filter(|t| t.is_word())
        .map(|t| (key(t.text(&text), KeyOptions::default()), t.para))
        .collect()
}

fn close(got: &str, want: f64) {
    let got: f64 = got.parse().unwrap();
    assert!((got - want).abs() < 1e-4, "got {got}, want {want}");
}

#[test]
fn single_is_a_collocate_of_party_with_hand_computed_scores() {
    // Inputs counted here, independently of lectio-concord.
    let words = essay_words();
    let n = words.len() as f64;
    let f = |w: &str| words.iter().filter(|(k, _)| k == w).count() as f64;
    let (f_node, f_coll) = (f("party"), f("single"));
    // O11: "single" within 5 words left or right of each "party", in the same paragraph.
    let mut o11 = 0.0;
    for (i, (k, para)) in words.iter().enumerate() {
        if k != "party" {
            continue;
        }
        let window = i.saturating_sub(5)..=(i + 5).min(words.len() - 1);
        for (j, (w, p)) in words.iter().enumerate() {
            if window.contains(&j) && j != i && w == "single" && p == para {
                o11 += 1.0;
            }
        }
    }
    assert_eq!((n, f_node, f_coll, o11), (6153.0, 35.0, 16.0, 6.0));

    // The formulas, worked out here.
    let span = 10.0; // L + R = 5 + 5
    let e11 = f_node * f_coll * span / n; // 35 x 16 x 10 / 6153 = 0.9101
    let mi = (o11 / e11).log2(); // 2.7208
    let t = (o11 - e11) / o11.sqrt(); // 2.0779
    let logdice = 14.0 + (2.0 * o11 / (f_node + f_coll)).log2(); // 11.9125
                                                                 // 2x2 table: R1 = f_node x span = 350 window slots, C1 = f_collocate = 16.
    let (r1, c1) = (f_node * span, f_coll);
    let (o12, o21) = (r1 - o11, c1 - o11); // 344, 10
    let o22 = n - r1 - c1 + o11; // 5793
    let (r2, c2) = (n - r1, n - c1);
    let g = |o: f64, e: f64| o * (o / e).ln();
    let ll = 2.0
        * (g(o11, r1 * c1 / n) + g(o12, r1 * c2 / n) + g(o21, r2 * c1 / n) + g(o22, r2 * c2 / n));
    assert!((ll - 14.4815).abs() < 1e-4, "{ll}");

    let rows = collocates_csv(&["party"]);
    assert_eq!(
        rows[0],
        [
            "collocate",
            "o11",
            "f_collocate",
            "f_node",
            "mi",
            "t",
            "ll",
            "logdice",
            "e11",
            "left",
            "right"
        ]
    );
    let single = rows
        .iter()
        .find(|r| r[0] == "single")
        .expect("single is a collocate");
    assert_eq!(single[1..4], ["6", "16", "35"]);
    close(&single[4], mi);
    close(&single[5], t);
    close(&single[6], ll);
    close(&single[7], logdice);
    close(&single[8], e11);
    // Five times just before "party", once after ("from the single party to the single").
    assert_eq!(single[9..], ["5", "1"]);
    // Sorted by LL, descending.
    let lls: Vec<f64> = rows[1..].iter().map(|r| r[6].parse().unwrap()).collect();
    assert!(lls.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn window_min_freq_and_sort_order() {
    let input = "a b node c d. x node y\n\nnode z z";
    let run = lectio_with_stdin(
        &[
            "collocates",
            "node",
            "-",
            "--window",
            "1,2",
            "--min-freq",
            "1",
            "--by",
            "o11",
            "--format",
            "csv",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let got: Vec<(String, String, String, String)> = csv_rows(&run.stdout)[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[9].clone(), r[10].clone()))
        .collect();
    // node 1: b | c d; node 2: x | y (the paragraph ends); node 3: | z z.
    let s = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        got,
        [
            s("z", "2", "0", "2"),
            s("b", "1", "1", "0"),
            s("c", "1", "0", "1"),
            s("d", "1", "0", "1"),
            s("x", "1", "1", "0"),
            s("y", "1", "0", "1"),
        ]
    );
    assert_eq!(
        run.stderr,
        "6 collocates of \"node\" (3 occurrences); N = 11 words in 1 file\n"
    );
    // The default --min-freq 2 keeps only z.
    let run = lectio_with_stdin(
        &[
            "collocates",
            "node",
            "-",
            "--window",
            "1,2",
            "--format",
            "csv",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(csv_rows(&run.stdout).len(), 2);
}

#[test]
fn usage_errors_and_bad_inputs() {
    for (args, msg) in [
        (
            vec!["collocates", "single party"],
            "lectio: error: the node \"single party\" is a phrase; collocates takes a single word, glob or pattern\n",
        ),
        (
            vec!["collocates", "party", "--window", "0,0"],
            "lectio: error: --window 0,0 has no room for a collocate\n",
        ),
        (
            vec!["collocates", "—"],
            "lectio: error: the query \"—\" contains no word to search for\n",
        ),
    ] {
        let run = lectio(&args);
        assert_eq!((run.code, run.stderr.as_str()), (2, msg));
    }
    let run = lectio(&["collocates", "--regex", "("]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "lectio: error: invalid pattern \"(\": unclosed group at offset 0\n"
        )
    );
    assert_eq!(lectio(&["collocates", "party", "--window", "a,b"]).code, 2);
    assert_eq!(lectio(&["collocates", "party", "--by", "dice"]).code, 2);
    let run = lectio(&["collocates", "party", "no/such/file.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: no/such/file.txt: No such file or directory (os error 2)\n"
    );
    // A glob node, and a node that never occurs: an empty table, not an error.
    let rows = collocates_csv(&["monolith*", "--min-freq", "1"]);
    assert!(rows[1..].iter().all(|r| r[3] == "3"));
    let run = lectio(&["collocates", "xyzzy", "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(csv_rows(&run.stdout).len(), 1);
}

#[test]
fn window_sides_are_bounded_usage_errors_never_a_panic_nor_a_wrap() {
    // The first two panicked (a slice from 43 to 42), the third wrapped to 0,0 and the
    // fourth printed t-scores of -2.57e18.
    for window in [
        "0,18446744073709551615",
        "18446744073709551615",
        "9223372036854775808,9223372036854775808",
        "9223372036854775807",
        "18446744073709551616,1",
        "1001",
        "5,1001",
    ] {
        let run = lectio(&["collocates", "party", "--window", window]);
        assert_eq!(
            (run.code, run.stderr),
            (
                2,
                format!(
                    "error: invalid value '{window}' for '--window <L,R>': a side of the window \
                     takes at most 1000 words\n\nFor more information, try '--help'.\n"
                )
            ),
            "{window}"
        );
    }
    let run = lectio(&["collocates", "party", "--window", "5,-1"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid value '5,-1' for '--window <L,R>': invalid window \"5,-1\" \
             (expected L,R such as 5,5, or N)\n\nFor more information, try '--help'.\n"
        )
    );
    // The widest window works, and every number is a plain decimal of at most four places
    // (the README's rounding), never in exponent form.
    for node in ["the", "party"] {
        let rows = collocates_csv(&[node, "--window", "1000", "--min-freq", "1"]);
        assert!(rows.len() > 100, "{node}");
        for row in &rows[1..] {
            for cell in &row[1..] {
                let (int, frac) = cell.split_once('.').unwrap_or((cell, "0"));
                let int = int.strip_prefix('-').unwrap_or(int);
                assert!(
                    !int.is_empty()
                        && int.bytes().all(|b| b.is_ascii_digit())
                        && (1..=4).contains(&frac.len())
                        && frac.bytes().all(|b| b.is_ascii_digit()),
                    "{node}: {row:?}"
                );
            }
        }
    }
}

#[test]
fn windows_larger_than_the_text_are_reported() {
    // One word 50 times with --window 30: R1 = 50 × 60 = 3000 slots for N = 50 words, where
    // the 2×2 table breaks (G² comes out negative). The scores are written, with a warning.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "na.txt", vec!["na"; 50].join(" ").as_bytes());
    let run = lectio(&[
        "collocates",
        "na",
        &path,
        "--window",
        "30",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        csv_rows(&run.stdout)[1],
        [
            "na",
            "2070",
            "50",
            "50",
            "-0.5353",
            "-20.4408",
            "-1536.2036",
            "19.3716",
            "3000.0",
            "1035",
            "1035"
        ]
    );
    assert_eq!(
        run.stderr,
        "lectio: warning: the node's windows hold 3000 word slots (f_node × (L + R)) but the \
         texts have 50 words: the 2×2 table behind ll, mi and t does not hold, and those \
         scores mean nothing here (use a smaller --window or more text)\n\
         1 collocate of \"na\" (50 occurrences); N = 50 words in 1 file\n"
    );
    // The essay with the default window: no warning.
    let run = lectio(&["collocates", "party", "--format", "csv"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}
