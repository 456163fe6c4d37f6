//! `lectio freq` end to end: the essay's word list, n-grams, filters, DP, bad inputs.

mod common;

use std::process::Command;

use common::*;

/// The CSV rows of `lectio freq ARGS --format csv`, header first.
fn freq_csv(args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["freq"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    let run = lectio(&all);
    assert_eq!(run.code, 0, "{run:?}");
    csv_rows(&run.stdout)
}

fn count_of(rows: &[Vec<String>], term: &str) -> Option<u64> {
    rows.iter()
        .find(|r| r[1] == term)
        .map(|r| r[2].parse().unwrap())
}

/// Word tokens of the essay counted here with the tokenizer alone (footnote markers and
/// punctuation are not words): the N of per_million.
fn essay_words() -> usize {
    let text = essay_text();
    lectio_text::Tokenizer::new(&text)
        .filter(|t| t.is_word())
        .count()
}

#[test]
fn top_five_words_of_the_essay() {
    let n = essay_words();
    assert_eq!(n, 6153);
    let run = lectio(&["freq", "--top", "5", "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "rank,term,count,per_million,range,dp\n\
         1,the,506,82236.3075,1,0.0528\n\
         2,of,272,44206.0783,1,0.0835\n\
         3,and,232,37705.1845,1,0.1064\n\
         4,to,156,25353.4861,1,0.0883\n\
         5,in,131,21290.4274,1,0.0899\n"
    );
    // per_million = count / N x 10^6, rounded to 4 decimals.
    assert_eq!(format!("{:.4}", 506.0 / n as f64 * 1e6), "82236.3075");
    assert_eq!(
        run.stderr,
        "1712 terms; N = 6153 words in 1 file (showing the first 5; --top)\n"
    );
}

#[test]
fn bigram_single_party_five_times() {
    let rows = freq_csv(&["--ngram", "2"]);
    assert_eq!(
        rows[0],
        ["rank", "term", "count", "per_million", "range", "dp"]
    );
    assert_eq!(count_of(&rows, "single party"), Some(5));
    // Spaced initials do not end a sentence, so "n. s. khrushchev" makes bigrams.
    assert_eq!(count_of(&rows, "s khrushchev"), Some(1));
    // Ranks are row numbers; counts never increase down the list.
    for (i, r) in rows[1..].iter().enumerate() {
        assert_eq!(r[0], (i + 1).to_string());
    }
    let counts: Vec<u64> = rows[1..].iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn ngrams_stop_at_sentences_and_paragraphs_but_skip_notes() {
    // Sentence ends as lectio-text finds them: not after "Dr." or the initials, not before
    // a lower-case word; a footnote marker is skipped.
    let input = "One two. Three four!\n\nFive[1] six? See Dr. N. S. Khrushchev… and more. End";
    let run = lectio_with_stdin(
        &["freq", "-", "--ngram", "2", "--format", "csv"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let terms: Vec<String> = csv_rows(&run.stdout)[1..]
        .iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(
        terms,
        [
            "and more",
            "dr n",
            "five six",
            "khrushchev and",
            "n s",
            "one two",
            "s khrushchev",
            "see dr",
            "three four"
        ]
    );
}

#[test]
fn stopwords_numbers_and_min_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(
        dir.path(),
        "t.txt",
        "The party of 1956, the PARTY of the state; 1937-38.".as_bytes(),
    );
    let stop = write(dir.path(), "stop.txt", b"# my list\nthe OF | comment\n");
    let rows = freq_csv(&[&text, "--stopwords", &stop, "--no-numbers"]);
    let got: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(got, [("party", "2"), ("state", "1")]);
    // N still counts every word: 10 words, "party" 2 → 200000 per million.
    assert_eq!(rows[1][3], "200000.0");
    let rows = freq_csv(&[&text, "--stopwords", "english", "--min-count", "2"]);
    let got: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(got, ["party"]);
    // Case-sensitive keys, but stop words still match whatever the case.
    let rows = freq_csv(&[
        &text,
        "--stopwords",
        "english",
        "--no-numbers",
        "--case-sensitive",
    ]);
    let got: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(got, ["PARTY", "party", "state"]);
    let run = lectio(&["freq", "--stopwords", "no/such/list.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: --stopwords: no/such/list.txt: No such file or directory (os error 2)\n"
    );
}

#[test]
fn stopword_files_skip_a_bom_and_name_themselves_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path(), "t.txt", b"the cat of the hat\n");
    let terms = |args: &[&str]| -> Vec<String> {
        let mut all = vec![text.as_str()];
        all.extend_from_slice(args);
        freq_csv(&all)[1..].iter().map(|r| r[1].clone()).collect()
    };
    // A leading BOM used to make the first stop word "\u{FEFF}the", so "the" was kept.
    let bom = write(dir.path(), "bom.txt", b"\xef\xbb\xbfthe\nof\n");
    assert_eq!(terms(&["--stopwords", &bom]), ["cat", "hat"]);
    let bom_comment = write(dir.path(), "c.txt", b"\xef\xbb\xbf# list\nthe of\n");
    assert_eq!(terms(&["--stopwords", &bom_comment]), ["cat", "hat"]);
    let mut le = vec![0xFF, 0xFE];
    le.extend("the\nof\n".encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = write(dir.path(), "utf16.txt", &le);
    // UTF-16 with its BOM is decoded (with the warning every input gets).
    assert_eq!(terms(&["--stopwords", &utf16]), ["cat", "hat"]);
    // Invalid UTF-8: one line naming the list, the line and the byte offset, exit 1.
    let bad = write(dir.path(), "bad.txt", b"the\nof \xff x\n");
    let run = lectio(&["freq", &text, "--stopwords", &bad]);
    assert_eq!(
        (run.code, run.stderr, run.stdout),
        (
            1,
            format!(
                "lectio: error: --stopwords: {bad}: invalid UTF-8 at line 2, byte offset 7 \
                 (use --lossy to replace invalid bytes)\n"
            ),
            String::new()
        )
    );
    // --keep-going does not go on without the list.
    let run = lectio(&["freq", &text, "--stopwords", &bad, "--keep-going"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("lectio: error: --stopwords: "));
    // --lossy reads it as it reads any input, with a warning naming it.
    let run = lectio(&[
        "freq",
        &text,
        "--stopwords",
        &bad,
        "--lossy",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: warning: {bad}: replaced 1 invalid byte(s) with U+FFFD\n\
             2 terms; N = 5 words in 1 file\n"
        )
    );
}

#[test]
fn range_and_dp_over_files_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"x a");
    let b = write(dir.path(), "b.txt", b"x x b");
    let c = write(dir.path(), "c.txt", b"c d e f g");
    let rows = freq_csv(&[&a, &b, &c]);
    let x = rows.iter().find(|r| r[1] == "x").unwrap();
    // Parts are the files: s = 2/10, 3/10, 5/10; v = 1/3, 2/3, 0.
    // DP = ½ (|1/3 − 0.2| + |2/3 − 0.3| + |0 − 0.5|) = 0.5; DPnorm = 0.5 / (1 − 0.2) = 0.625.
    let dp = 0.5 * ((1.0 / 3.0 - 0.2f64).abs() + (2.0 / 3.0 - 0.3f64).abs() + 0.5) / (1.0 - 0.2);
    assert_eq!(
        x[2..],
        [
            "3",
            "300000.0",
            "2",
            &format!("{}", (dp * 1e4).round() / 1e4)
        ]
    );
    assert_eq!(x[5], "0.625");
    // With one file, --parts N cuts it into N equal slices of its words.
    let one = write(dir.path(), "one.txt", b"p p q q");
    let rows = freq_csv(&[&one, "--parts", "2"]);
    assert!(rows[1..].iter().all(|r| r[5] == "1.0"), "{rows:?}");
    let run = lectio(&["freq", &a, &b, "--parts", "3"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "lectio: error: --parts applies to a single text; with several files each file is a part\n"
    );
    assert_eq!(lectio(&["freq", "--ngram", "0"]).code, 2);
    assert_eq!(lectio(&["freq", "--parts", "0"]).code, 2);
}

#[test]
fn bad_inputs_are_handled_as_kwic_handles_them() {
    let run = lectio(&["freq", "no/such/file.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: no/such/file.txt: No such file or directory (os error 2)\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let run = lectio(&["freq", path]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("lectio: error: {path}: is a directory, not a text file (use -r to read its .txt files)\n")
    );
    let empty = write(dir.path(), "empty.txt", b"");
    let run = lectio(&["freq", &empty, "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "rank,term,count,per_million,range,dp\n");
    assert_eq!(run.stderr, "0 terms; N = 0 words in 1 file\n");
    let bad = write(dir.path(), "latin1.txt", b"the caf\xe9 party\n");
    let run = lectio(&["freq", &bad]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {bad}: invalid UTF-8 at line 1, byte offset 7 \
             (use --lossy to replace invalid bytes)\n"
        )
    );
    let run = lectio(&["freq", &bad, "--lossy", "--format", "csv"]);
    assert_eq!(run.code, 0);
    let terms: Vec<String> = csv_rows(&run.stdout)[1..]
        .iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(terms, ["caf", "party", "the"]);
    assert!(run.stderr.starts_with(&format!(
        "lectio: warning: {bad}: replaced 1 invalid byte(s) with U+FFFD\n"
    )));
}

#[test]
fn json_and_table_show_the_same_values() {
    let run = lectio(&["freq", "--top", "2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"rank": 1, "term": "the", "count": 506, "per_million": 82236.3075, "range": 1, "dp": 0.0528},
            {"rank": 2, "term": "of", "count": 272, "per_million": 44206.0783, "range": 1, "dp": 0.0835}
        ])
    );
    let run = lectio(&["freq", "--top", "2", "--format", "table"]);
    assert_eq!(
        run.stdout,
        "rank  term  count  per_million  range      dp\n   \
            1  the     506   82236.3075      1  0.0528\n   \
            2  of      272   44206.0783      1  0.0835\n"
    );
}

/// Runs lectio with a given number of rayon threads.
fn with_threads(threads: usize, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn same_bytes_whatever_the_thread_count_and_big_files_are_chunked() {
    let dir = tempfile::tempdir().unwrap();
    // 40 copies (about 1.5 MB: memory-mapped, and counted in chunks of 1 MiB).
    let big = vec![essay_text(); 40].join("\n\n");
    let big = write(dir.path(), "big.txt", big.as_bytes());
    let essay = essay();
    let essay = essay.to_str().unwrap();
    for args in [
        vec!["freq", big.as_str(), "--format", "csv"],
        vec!["freq", big.as_str(), "--ngram", "3", "--format", "csv"],
        vec!["freq", essay, big.as_str(), essay, "--format", "csv"],
    ] {
        let one = with_threads(1, &args);
        assert_eq!(one, with_threads(2, &args));
        assert_eq!(one, with_threads(5, &args));
    }
    let rows = csv_rows(&with_threads(
        3,
        &["freq", &big, "--top", "1", "--format", "csv"],
    ));
    assert_eq!(rows[1][1..4], ["the", "20240", "82236.3075"]);
    // The 40 copies are spread evenly over the 10 slices.
    assert_eq!(rows[1][5], "0.0");
}

/// The first line of stderr and the exit status.
fn first_error(run: &Run) -> (i32, String) {
    (
        run.code,
        run.stderr.lines().next().unwrap_or("").to_string(),
    )
}

#[test]
fn every_statistics_command_reports_bad_inputs_as_kwic_does() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("out.svg");
    let svg = svg.to_str().unwrap();
    let essay = essay();
    let essay = essay.to_str().unwrap();
    let missing = "no/such/file.txt".to_string();
    let directory = dir.path().join("sub");
    std::fs::create_dir(&directory).unwrap();
    let directory = directory.to_str().unwrap().to_string();
    let binary = write(dir.path(), "bin.txt", b"%PDF-1.4\n\x00\x01party");
    let latin1 = write(dir.path(), "latin1.txt", b"the caf\xe9 party\n");
    let mut le = vec![0xFF, 0xFE];
    le.extend("the single party".encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = write(dir.path(), "utf16.txt", &le);
    for path in [&missing, &directory, &binary, &latin1, &utf16] {
        let want = first_error(&lectio(&["kwic", "party", path]));
        for args in [
            vec!["freq", path],
            vec!["collocates", "party", path],
            vec!["keyness", path, "--reference", essay],
            vec!["keyness", essay, "--reference", path],
            vec!["plot", "party", path, "-o", svg],
        ] {
            let mut args = args;
            if args[0] != "plot" {
                args.extend(["--format", "csv"]);
            }
            assert_eq!(first_error(&lectio(&args)), want, "{args:?}");
        }
    }
}

#[test]
fn ngram_and_parts_are_bounded_usage_errors_never_a_panic() {
    // These panicked (capacity overflow) or aborted (allocations of 34 GB and more).
    for (flag, value, range) in [
        ("--parts", "18446744073709551615", "1..=1000000"),
        ("--parts", "4294967296", "1..=1000000"),
        ("--parts", "1000001", "1..=1000000"),
        ("--ngram", "18446744073709551615", "1..=32"),
        ("--ngram", "4294967297", "1..=32"),
        ("--ngram", "33", "1..=32"),
    ] {
        let run = lectio(&["freq", flag, value]);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (
                2,
                format!(
                    "error: invalid value '{value}' for '{flag} <N>': {value} is not in \
                     {range}\n\nFor more information, try '--help'.\n"
                )
                .as_str(),
                ""
            ),
            "{flag} {value}"
        );
    }
    // The largest values work: a 32-gram of the essay's longest sentences; a million
    // slices of a five-word text, all but five of them empty, so each word is in a
    // part of its own (DPnorm 0.6 for a word twice in five, 0.8 once).
    let rows = freq_csv(&["--ngram", "32", "--top", "1"]);
    assert_eq!(rows[1][1].split(' ').count(), 32);
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.txt", b"the cat of the hat\n");
    let rows = freq_csv(&[&t, "--parts", "1000000"]);
    let got: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("the", "0.6"),
            ("cat", "0.8"),
            ("hat", "0.8"),
            ("of", "0.8")
        ]
    );
}
