//! `lectio keyness` end to end on two tiny texts whose statistics are worked out by hand.

mod common;

use common::*;

const TARGET: &str = "The party and the party of the party.";
const REFERENCE: &str = "A state and a people of a land in party.";

fn close(got: &str, want: f64) {
    let got: f64 = got.parse().unwrap();
    assert!((got - want).abs() < 1e-4, "got {got}, want {want}");
}

#[test]
fn ll_log_ratio_and_percent_diff_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "target.txt", TARGET.as_bytes());
    let r = write(dir.path(), "reference.txt", REFERENCE.as_bytes());
    let run = lectio(&["keyness", &t, "--reference", &r, "--format", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stderr,
        "9 terms; target: 8 words in 1 file, reference: 10 words in 1 file\n"
    );
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[0],
        [
            "term",
            "target_count",
            "reference_count",
            "target_per_million",
            "reference_per_million",
            "ll",
            "log_ratio",
            "percent_diff"
        ]
    );
    // c = 8 target words, d = 10 reference words.
    let (c, d) = (8.0f64, 10.0f64);
    // (term, a, b, LL, log ratio, %DIFF), worked out by hand; LL descending.
    //   the:   E1 = 8 x 3 / 18 = 4/3, LL = 2 x 3 ln(3 / (4/3)) = 6 ln 2.25 = 4.8656;
    //          log ratio = log2((3/8) / (0.5/10)) = log2 7.5 (0.5 for the zero count);
    //          %DIFF infinite (not in the reference).
    //   party: E1 = 16/9, E2 = 20/9, LL = 2 (3 ln(27/16) + ln(9/20)) = 1.5425;
    //          log ratio = log2((3/8) / (1/10)) = log2 3.75; %DIFF = 100 (375000 − 100000) / 100000.
    //   and, of: E1 = 8/9, E2 = 10/9, LL = 2 (ln(9/8) + ln(9/10)) = 0.0248; log2 1.25; 25 %.
    //   in, land, people, state: LL = −2 ln(1 / (5/9)) = −1.1756; log2((0.5/8) / (1/10)); −100 %.
    //   a:     LL = −2 x 3 ln(3 / (5/3)) = −3.5267; log2((0.5/8) / (3/10)); −100 %.
    let hand = [
        (
            "the",
            3,
            0,
            6.0 * 2.25f64.ln(),
            7.5f64.log2(),
            f64::INFINITY,
        ),
        (
            "party",
            3,
            1,
            2.0 * (3.0 * (27.0f64 / 16.0).ln() + (9.0f64 / 20.0).ln()),
            3.75f64.log2(),
            275.0,
        ),
        (
            "and",
            1,
            1,
            2.0 * ((9.0f64 / 8.0).ln() + (9.0f64 / 10.0).ln()),
            1.25f64.log2(),
            25.0,
        ),
        (
            "of",
            1,
            1,
            2.0 * ((9.0f64 / 8.0).ln() + (9.0f64 / 10.0).ln()),
            1.25f64.log2(),
            25.0,
        ),
        ("in", 0, 1, -2.0 * 1.8f64.ln(), 0.625f64.log2(), -100.0),
        ("land", 0, 1, -2.0 * 1.8f64.ln(), 0.625f64.log2(), -100.0),
        ("people", 0, 1, -2.0 * 1.8f64.ln(), 0.625f64.log2(), -100.0),
        ("state", 0, 1, -2.0 * 1.8f64.ln(), 0.625f64.log2(), -100.0),
        (
            "a",
            0,
            3,
            -6.0 * 1.8f64.ln(),
            ((0.5 / 8.0) / 0.3f64).log2(),
            -100.0,
        ),
    ];
    assert_eq!(rows.len(), hand.len() + 1);
    for (row, (term, a, b, ll, lr, pd)) in rows[1..].iter().zip(hand) {
        assert_eq!(row[0], term);
        assert_eq!(row[1..3], [a.to_string(), b.to_string()]);
        close(&row[3], a as f64 / c * 1e6);
        close(&row[4], b as f64 / d * 1e6);
        close(&row[5], ll);
        close(&row[6], lr);
        if pd.is_finite() {
            close(&row[7], pd);
        } else {
            assert_eq!(row[7], "inf");
        }
    }
    assert_eq!(rows[1][5..], ["4.8656", "2.9069", "inf"]);
    assert_eq!(rows[2][5..], ["1.5425", "1.9069", "275.0"]);

    // JSON has no infinity: the infinite %DIFF is null there.
    let run = lectio(&[
        "keyness",
        &t,
        "--reference",
        &r,
        "--format",
        "json",
        "--top",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{
            "term": "the", "target_count": 3, "reference_count": 0,
            "target_per_million": 375000.0, "reference_per_million": 0.0,
            "ll": 4.8656, "log_ratio": 2.9069, "percent_diff": null
        }])
    );
}

#[test]
fn min_count_stdin_and_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let r1 = write(dir.path(), "r1.txt", b"a state and a people");
    let r2 = write(dir.path(), "r2.txt", b"of a land in party.");
    let run = lectio_with_stdin(
        &[
            "keyness",
            "-",
            "--reference",
            &r1,
            &r2,
            "--min-count",
            "3",
            "--format",
            "csv",
        ],
        Some(TARGET.as_bytes()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let terms: Vec<String> = csv_rows(&run.stdout)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    // Combined counts: the 3, party 4, a 3; the others fall below 3.
    assert_eq!(terms, ["the", "party", "a"]);
    assert_eq!(
        run.stderr,
        "3 terms; target: 8 words in 1 file, reference: 10 words in 2 files\n"
    );
}

#[test]
fn bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.txt", TARGET.as_bytes());
    let empty = write(dir.path(), "empty.txt", b"  \n");
    assert_eq!(lectio(&["keyness", &t]).code, 2);
    assert_eq!(lectio(&["keyness", "--reference", &t]).code, 2);
    let run = lectio(&["keyness", "-", "--reference", "-"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "lectio: error: standard input (-) can be read only once\n"
        )
    );
    let run = lectio(&["keyness", &empty, "--reference", &t]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "lectio: error: the target texts contain no word\n")
    );
    let run = lectio(&["keyness", &t, "--reference", &empty]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "lectio: error: the reference texts contain no word\n")
    );
    let run = lectio(&["keyness", &t, "--reference", "no/such/file.txt"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "lectio: error: no/such/file.txt: No such file or directory (os error 2)\n"
        )
    );
    let bad = write(dir.path(), "bad.txt", b"x \xff y");
    let run = lectio(&["keyness", &t, "--reference", &bad]);
    assert_eq!(run.code, 1);
    assert!(run
        .stderr
        .ends_with("(use --lossy to replace invalid bytes)\n"));
    assert_eq!(
        lectio(&["keyness", &t, "--reference", &bad, "--lossy"]).code,
        0
    );
}

#[test]
fn ngram_is_bounded_usage_error_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.txt", TARGET.as_bytes());
    // 4294967297 aborted on a 137 GB allocation before the bound.
    for value in ["4294967297", "18446744073709551615", "33"] {
        let run = lectio(&["keyness", &t, "--reference", &t, "--ngram", value]);
        assert_eq!(
            (run.code, run.stderr),
            (
                2,
                format!(
                    "error: invalid value '{value}' for '--ngram <N>': {value} is not in \
                     1..=32\n\nFor more information, try '--help'.\n"
                )
            ),
            "{value}"
        );
    }
    let run = lectio(&["keyness", &t, "--reference", &t, "--ngram", "32"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            0,
            "0 terms; target: 8 words in 1 file, reference: 8 words in 1 file\n"
        )
    );
}

#[test]
fn stopword_files_are_read_as_freq_reads_them() {
    // The same loader as freq: a leading BOM is skipped, errors name the list.
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.txt", TARGET.as_bytes());
    let stop = write(dir.path(), "stop.txt", b"\xef\xbb\xbfthe\nof and\n");
    let run = lectio(&[
        "keyness",
        &t,
        "--reference",
        &t,
        "--stopwords",
        &stop,
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let terms: Vec<String> = csv_rows(&run.stdout)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(terms, ["party"]);
    let bad = write(dir.path(), "bad.txt", b"\xef\xbb\xbfthe \xc3(");
    let run = lectio(&["keyness", &t, "--reference", &t, "--stopwords", &bad]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "lectio: error: --stopwords: {bad}: invalid UTF-8 at line 1, byte offset 7 \
                 (use --lossy to replace invalid bytes)\n"
            )
        )
    );
}
