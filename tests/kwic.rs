//! `lectio kwic` end to end, on the embedded essay and on files made here.

mod common;

use common::*;

/// Number of hits for a query on the embedded essay, from the CSV rows.
fn hits(args: &[&str]) -> usize {
    let mut all = vec!["kwic"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    let run = lectio(&all);
    assert_eq!(run.code, 0, "{run:?}");
    csv_rows(&run.stdout).len() - 1
}

#[test]
fn monolithic_has_three_hits_with_exact_lines_and_offsets() {
    let run = lectio(&["kwic", "monolithic", "--words", "3", "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "doc,line,column,start,end,left,match,right\n\
         deutscher-1956-khrushchev-on-stalin.txt,50,153,13383,13393,principle of the ”,monolithic,” party was proclaimed\n\
         deutscher-1956-khrushchev-on-stalin.txt,104,128,33509,33519,idea of the,monolithic,party and of\n\
         deutscher-1956-khrushchev-on-stalin.txt,104,156,33537,33547,and of the,monolithic,state in which\n"
    );
    assert_eq!(run.stderr, "3 hits in 1 file\n");
}

#[test]
fn offsets_slice_the_file_to_exactly_the_match() {
    let text = essay_text();
    let path = essay();
    let run = lectio(&["kwic", "Stalin*", path.to_str().unwrap(), "--format", "csv"]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len() - 1, 120);
    for row in &rows[1..] {
        let (start, end): (usize, usize) = (row[3].parse().unwrap(), row[4].parse().unwrap());
        assert_eq!(&text[start..end], row[6]);
    }
}

#[test]
fn acceptance_counts_on_the_essay() {
    assert_eq!(hits(&["Stalin"]), 68); // Stalin's is its own word
    assert_eq!(hits(&["Stalin's"]), 17);
    assert_eq!(hits(&["Stalin*"]), 120);
    assert_eq!(hits(&["Khrushchev"]), 54);
    assert_eq!(hits(&["single party"]), 5);
    assert_eq!(hits(&["denouement"]), 0);
    assert_eq!(hits(&["denouement", "--fold-diacritics"]), 1);
    assert_eq!(hits(&["dénouement"]), 1);
}

#[test]
fn case_sensitivity_globs_and_regexes() {
    // "party" 28 times in lower case, "Party" 7 times (grep -ow counts the same).
    let all = hits(&["party"]);
    let lower = hits(&["party", "--case-sensitive"]);
    let upper = hits(&["Party", "--case-sensitive"]);
    assert_eq!(all, lower + upper);
    assert_eq!((lower, upper), (28, 7));
    assert_eq!(hits(&["--regex", "stalin(ism|ist)"]), 32);
    assert_eq!(
        hits(&["--regex", "Stalin(ism|ist)", "--case-sensitive"]),
        32
    );
    assert_eq!(hits(&["monolith?c"]), 3);
    assert_eq!(hits(&["N.K.V.D."]), 2);
}

#[test]
fn char_context_and_sorting_on_the_right_word() {
    let run = lectio(&[
        "kwic",
        "single party",
        "--chars",
        "10",
        "--sort",
        "R1",
        "--format",
        "tsv",
    ]);
    let d = "deutscher-1956-khrushchev-on-stalin.txt";
    // R1 keys: they, to, was, was, what; the two "was" hits keep document order.
    assert_eq!(
        run.stdout,
        format!(
            "doc\tline\tcolumn\tstart\tend\tleft\tmatch\tright\n\
             {d}\t64\t166\t18008\t18020\tule of the\tsingle party\t. They wou\n\
             {d}\t106\t198\t34470\t34482\td from the\tsingle party\tto the sin\n\
             {d}\t48\t534\t13170\t13182\tterms: the\tsingle party\twas breaki\n\
             {d}\t50\t39\t13267\t13279\tule of the\tsingle party\twas replac\n\
             {d}\t58\t189\t15462\t15474\that of the\tsingle party\t. What gav\n"
        )
    );
}

/// clap's usage error for a value out of range: its whole stderr.
fn out_of_range(flag: &str, value: &str, range: &str) -> String {
    format!(
        "error: invalid value '{value}' for '{flag} <N>': {value} is not in {range}\n\n\
         For more information, try '--help'.\n"
    )
}

#[test]
fn context_sizes_are_bounded_usage_errors_never_a_panic() {
    // These aborted (capacity overflow; a 400 GB allocation) before the bounds.
    for (flag, value, range) in [
        ("--chars", "18446744073709551615", "0..=10000"),
        ("--chars", "100000000000", "0..=10000"),
        ("--chars", "10001", "0..=10000"),
        ("--words", "18446744073709551615", "0..=1000"),
        ("--words", "4294967297", "0..=1000"),
        ("--words", "1001", "0..=1000"),
    ] {
        let run = lectio(&["kwic", "monolithic", flag, value]);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (2, out_of_range(flag, value, range).as_str(), ""),
            "{flag} {value}"
        );
    }
    let run = lectio(&["kwic", "monolithic", "--words", "18446744073709551616"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid value '18446744073709551616' for '--words <N>': number too large \
             to fit in target type\n\nFor more information, try '--help'.\n"
        )
    );
    // The largest sizes work. The first hit has more than 1,000 words and 10,000
    // characters before it: the left context has exactly that many (words as lectio
    // counts them: freq over the context counts 1,000).
    let dir = tempfile::tempdir().unwrap();
    for (flag, value) in [("--words", "1000"), ("--chars", "10000")] {
        let run = lectio(&["kwic", "monolithic", flag, value, "--format", "csv"]);
        assert_eq!(run.code, 0, "{run:?}");
        let rows = csv_rows(&run.stdout);
        assert_eq!(rows.len(), 4);
        let (left, right) = (&rows[1][5], &rows[1][7]);
        assert!(left.ends_with(" Stalin. The principle of the ”"), "{left}");
        assert!(
            right.starts_with("” party was proclaimed. Only a"),
            "{right}"
        );
        if flag == "--chars" {
            assert_eq!(left.chars().count(), 10_000);
            continue;
        }
        let file = write(dir.path(), "left.txt", left.as_bytes());
        let run = lectio(&["freq", &file, "--top", "0"]);
        assert!(run.stderr.contains("; N = 1000 words in 1 file"), "{run:?}");
    }
}

#[test]
fn sort_takes_up_to_three_distinct_keys() {
    for (sort, error) in [
        (
            "L1,R1,MATCH,POS,L2",
            "--sort L1,R1,MATCH,POS,L2: at most 3 keys, not 5",
        ),
        (
            "L1,R1,MATCH,R2",
            "--sort L1,R1,MATCH,R2: at most 3 keys, not 4",
        ),
        ("R1,r1", "--sort R1,R1: R1 is given twice"),
        (
            "match,L1,MATCH",
            "--sort MATCH,L1,MATCH: MATCH is given twice",
        ),
        (
            "POS,L1",
            "--sort POS,L1: L1 after POS would never be used (POS leaves no ties)",
        ),
    ] {
        let run = lectio(&["kwic", "party", "--sort", sort]);
        assert_eq!(
            (run.code, run.stderr, run.stdout),
            (2, format!("lectio: error: {error}\n"), String::new()),
            "{sort}"
        );
    }
    // Keys given with several --sort flags count together.
    let run = lectio(&["kwic", "party", "--sort", "R1", "--sort", "L1,L2,L3"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "lectio: error: --sort R1,L1,L2,L3: at most 3 keys, not 4\n"
        )
    );
    // Three keys, or the same keys over two flags, are fine; and a FILE after
    // `--sort KEY` is a file, not another key (it was taken for one).
    let path = essay();
    let path = path.to_str().unwrap();
    let a = lectio(&["kwic", "party", "--sort", "R1,L1,POS", "--format", "csv"]);
    let b = lectio(&["kwic", "party", "--sort", "R1", path, "--sort", "L1,POS"]);
    assert_eq!((a.code, b.code), (0, 0), "{b:?}");
    // The same hits in the same order (the doc column differs: the path as given).
    let rows = |s: &str| -> Vec<Vec<String>> {
        csv_rows(s).into_iter().map(|r| r[1..].to_vec()).collect()
    };
    assert_eq!(rows(&a.stdout).len(), 36);
    assert_eq!(rows(&a.stdout), rows(&b.stdout));
    assert_ne!(
        rows(&a.stdout),
        rows(&lectio(&["kwic", "party", "--format", "csv"]).stdout)
    );
}

#[test]
fn bad_patterns_are_one_line_usage_errors() {
    // The regex crate's message is four lines (the pattern, a line of carets, the error);
    // lectio says it in one, with the offset in the pattern as written (in characters).
    for (query, error) in [
        ("(", r#"invalid pattern "(": unclosed group at offset 0"#),
        (
            r"\p{Foo}",
            r#"invalid pattern "\p{Foo}": Unicode property not found at offset 0"#,
        ),
        (
            "stalin(ism|ist",
            r#"invalid pattern "stalin(ism|ist": unclosed group at offset 6"#,
        ),
        (
            "party é)",
            r#"invalid pattern "é)": unopened group at offset 1"#,
        ),
        // Wrapped in lectio's anchoring group this would pass, matching any key starting
        // with "a".
        (
            "a)|(b",
            r#"invalid pattern "a)|(b": unopened group at offset 1"#,
        ),
    ] {
        for args in [
            vec!["kwic", "--regex", query],
            vec!["kwic", "--regex", query, "--case-sensitive"],
        ] {
            let run = lectio(&args);
            assert_eq!(
                (run.code, run.stderr, run.stdout),
                (2, format!("lectio: error: {error}\n"), String::new()),
                "{args:?}"
            );
        }
    }
}

#[test]
fn the_terminal_view_shows_control_characters_instead_of_sending_them() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "esc.txt", b"red \x1b[31m party \x1b[0m line\n");
    let run = lectio(&["kwic", "party", &f, "--format", "table", "--words", "2"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("{f}:1:11  red \u{241B}[31m  party  \u{241B}[0m line\n")
    );
    // CSV keeps the text exactly.
    let run = lectio(&["kwic", "party", &f, "--words", "2"]);
    assert!(
        run.stdout.contains("red \x1b[31m,party,\x1b[0m line"),
        "{:?}",
        run.stdout
    );
}
