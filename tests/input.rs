//! How kwic reads its input: bad files, stdin, line endings, several files, pipes, -o.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::*;

#[test]
fn missing_file_is_a_one_line_error_naming_it() {
    let run = lectio(&["kwic", "x", "no/such/file.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: no/such/file.txt: No such file or directory (os error 2)\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let run = lectio(&["kwic", "x", path]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {path}: is a directory, not a text file \
             (use -r to read its .txt files)\n"
        )
    );
}

#[test]
fn an_empty_file_gives_zero_hits_and_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.txt", b"");
    let run = lectio(&["kwic", "x", &path, "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "doc,line,column,start,end,left,match,right\n");
    assert_eq!(run.stderr, "0 hits in 0 files\n");
}

#[test]
fn invalid_utf8_names_file_line_and_offset_and_lossy_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "latin1.txt",
        b"first line\nthe caf\xe9 party\nparty\n",
    );
    let run = lectio(&["kwic", "party", &path]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {path}: invalid UTF-8 at line 2, byte offset 18 \
             (use --lossy to replace invalid bytes)\n"
        )
    );
    let run = lectio(&["kwic", "party", &path, "--lossy", "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right\n\
             {path},2,10,20,25,first line the caf\u{FFFD},party,party\n\
             {path},3,1,26,31,first line the caf\u{FFFD} party,party,\n"
        )
    );
    assert_eq!(
        run.stderr,
        format!(
            "lectio: warning: {path}: replaced 1 invalid byte(s) with U+FFFD\n2 hits in 1 file\n"
        )
    );
}

#[test]
fn bad_queries_are_usage_errors() {
    let run = lectio(&["kwic", "--regex", "(", "--format", "csv"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("lectio: error: invalid pattern \"(\":"),
        "{run:?}"
    );
    let run = lectio(&["kwic", "—", "--format", "csv"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "lectio: error: the query \"—\" contains no word to search for\n"
    );
    let run = lectio(&["kwic", "x", "--sort", "L4"]);
    assert_eq!(run.code, 2);
}

#[test]
fn stdin_crlf_and_bom_keep_file_offsets() {
    // BOM (3 bytes), CRLF line endings, a phrase across a line break.
    let input = "\u{FEFF}The single\r\nparty rules.\r\n\r\nA single party.".as_bytes();
    let run = lectio_with_stdin(
        &[
            "kwic",
            "single party",
            "-",
            "--words",
            "1",
            "--format",
            "csv",
        ],
        Some(input),
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "doc,line,column,start,end,left,match,right\n\
         -,1,5,7,20,The,\"single\r\nparty\",rules\n\
         -,4,3,33,45,A,single party,\n"
    );
}

#[test]
fn several_files_come_out_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"one party here");
    let b = write(dir.path(), "b.txt", b"no match");
    let c = write(dir.path(), "c.txt", b"party, party");
    let run = lectio(&[
        "kwic", "party", &c, &b, &a, "--format", "csv", "--words", "0",
    ]);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right\n\
             {c},1,1,0,5,,party,\n{c},1,8,7,12,,party,\n{a},1,5,4,9,,party,\n"
        )
    );
    assert_eq!(run.stderr, "3 hits in 2 files\n");
}

#[test]
fn limit_caps_rows_and_says_so() {
    let run = lectio(&["kwic", "Stalin", "--limit", "2", "--format", "csv"]);
    assert_eq!(csv_rows(&run.stdout).len(), 3);
    assert_eq!(
        run.stderr,
        "68 hits in 1 file (showing the first 2; --limit)\n"
    );
}

/// `kwic party` over two copies of the essay (35 hits each), with `options` (a sort, or
/// none): with each `--limit` the rows are the first of the full listing, and the count is
/// of every hit.
fn limits_give_the_head_of_the_full_listing(options: &[&str], limits: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let text = essay_text();
    let a = write(dir.path(), "a.txt", text.as_bytes());
    let b = write(dir.path(), "b.txt", text.as_bytes());
    let command = |extra: &[&str]| {
        let mut args = vec!["kwic", "party", &a, &b, "--format", "csv"];
        args.extend_from_slice(options);
        args.extend_from_slice(extra);
        lectio(&args)
    };
    let full = command(&[]);
    assert_eq!(full.stderr, "70 hits in 2 files\n");
    let rows = csv_rows(&full.stdout);
    for &limit in limits {
        let run = command(&["--limit", &limit.to_string()]);
        assert_eq!(
            csv_rows(&run.stdout),
            rows[..(limit + 1).min(71)],
            "{options:?} --limit {limit}"
        );
        let shown = match limit {
            70.. => String::new(),
            n => format!(" (showing the first {n}; --limit)"),
        };
        assert_eq!(run.stderr, format!("70 hits in 2 files{shown}\n"));
    }
}

#[test]
fn limit_across_files_gives_the_first_hits_of_the_full_listing() {
    // A limit of 40 takes all of the first file's hits and 5 of the second's (only those
    // get concordance lines made), a limit of 0 none.
    limits_give_the_head_of_the_full_listing(&[], &[0, 1, 35, 40, 70, 100]);
}

#[test]
fn sorted_limit_shows_the_first_rows_of_the_whole_sorted_listing() {
    // The first N of a sorted listing are kept file by file as they are searched; they must
    // be the first N rows of the full sorted listing, across both files.
    for sort in ["R1,L1", "MATCH,L2", "L3"] {
        limits_give_the_head_of_the_full_listing(&["--sort", sort], &[0, 1, 7, 36, 70, 100]);
    }
}

#[test]
fn json_has_the_csv_columns() {
    let run = lectio(&[
        "kwic",
        "monolithic",
        "--words",
        "2",
        "--format",
        "json",
        "--limit",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{
            "doc": "deutscher-1956-khrushchev-on-stalin.txt", "line": 50, "column": 153,
            "start": 13383, "end": 13393, "left": "of the ”", "match": "monolithic",
            "right": "” party was"
        }])
    );
}

#[test]
fn table_view_aligns_the_hits() {
    let run = lectio(&["kwic", "monolithic", "--words", "2", "--format", "table"]);
    assert_eq!(
        run.stdout,
        "deutscher-1956-khrushchev-on-stalin.txt:50:153   of the ”  monolithic  ” party was\n\
         deutscher-1956-khrushchev-on-stalin.txt:104:128    of the  monolithic  party and\n\
         deutscher-1956-khrushchev-on-stalin.txt:104:156    of the  monolithic  state in\n"
    );
}

#[test]
fn output_file_is_written_whole_and_nothing_is_left_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hits.csv");
    let run = lectio(&["kwic", "monolithic", "-o", out.to_str().unwrap()]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with("doc,line,column,start,end,left,match,right\n"));
    // A failing run never creates the report nor leaves a temporary file behind.
    let bad = dir.path().join("bad.csv");
    let run = lectio(&["kwic", "x", "missing.txt", "-o", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["hits.csv"]);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Large enough output that lectio is still writing when the reader goes away.
    let dir = tempfile::tempdir().unwrap();
    let big = essay_text().repeat(30);
    let path = write(dir.path(), "big.txt", big.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["kwic", "the", &path, "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn embedded_texts_are_named_with_at() {
    let run = lectio(&[
        "kwic",
        "monolithisch*",
        "@de",
        "--format",
        "csv",
        "--words",
        "0",
    ]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][0], "deutscher-1956-khrushchev-on-stalin.de.txt");
    let by_name = lectio(&[
        "kwic",
        "monolithisch*",
        "@deutscher-1956-khrushchev-on-stalin.de.txt",
        "--format",
        "csv",
        "--words",
        "0",
    ]);
    assert_eq!(by_name.stdout, run.stdout);
    // An @ name that is not embedded is an ordinary (here missing) path.
    let run = lectio(&["kwic", "x", "@nothing"]);
    assert_eq!(
        run.stderr,
        "lectio: error: @nothing: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_large_file_is_checked_as_kwic_reads_it_with_the_errors_of_a_small_one() {
    // 2,000 lines of 40 bytes: 80,000 bytes, memory-mapped and checked piece by piece by
    // the search itself; a bad byte on line 1,500.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "the party met, and the line held firm.\n"
        .repeat(2000)
        .into_bytes();
    assert_eq!(bytes.len(), 78_000);
    let at = 1499 * 39;
    bytes[at] = 0xE9;
    let bad = write(dir.path(), "bad.txt", &bytes);
    let good = write(dir.path(), "good.txt", b"one party\nno hit\nparty two\n");
    let run = lectio(&["kwic", "party", &bad]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {bad}: invalid UTF-8 at line 1500, byte offset {at} \
             (use --lossy to replace invalid bytes)\n"
        )
    );
    assert_eq!(run.stdout, "");

    // --keep-going: the bad file is skipped and the good one's hits are its own.
    let run = lectio(&[
        "kwic",
        "party",
        &bad,
        &good,
        "--keep-going",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right\n\
             {good},1,5,4,9,one,party,no hit party two\n\
             {good},3,1,17,22,one party no hit,party,two\n"
        )
    );
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {bad}: invalid UTF-8 at line 1500, byte offset {at} \
             (use --lossy to replace invalid bytes) (skipped)\n2 hits in 1 file\n"
        )
    );

    // --lossy: every hit, the bad byte shown as U+FFFD, the offsets the file's.
    let run = lectio(&[
        "kwic", "party", &bad, "--lossy", "--words", "2", "--format", "csv",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 2001);
    assert_eq!(
        rows[1],
        [&bad, "1", "5", "4", "9", "the", "party", "met, and"]
    );
    assert_eq!(
        rows[1500],
        [
            &bad,
            "1500",
            "5",
            &(at + 4).to_string(),
            &(at + 9).to_string(),
            "firm. \u{FFFD}he",
            "party",
            "met, and"
        ]
    );
    assert_eq!(
        run.stderr,
        format!(
            "lectio: warning: {bad}: replaced 1 invalid byte(s) with U+FFFD\n2000 hits in 1 file\n"
        )
    );

    // --limit goes the same way: the same error, and with --lossy the first rows of the
    // full listing and the count of all the hits.
    let run = lectio(&["kwic", "party", &bad, "--limit", "2"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with(&format!(
        "lectio: error: {bad}: invalid UTF-8 at line 1500, byte offset {at}"
    )));
    let all = run_lossy_rows(&bad, &[]);
    let mut args: Vec<&str> = vec!["--limit", "1499"];
    let first = run_lossy_rows(&bad, &args);
    assert_eq!(first.0, all.0[..1500]);
    assert_eq!(
        first.1,
        format!(
            "lectio: warning: {bad}: replaced 1 invalid byte(s) with U+FFFD\n\
             2000 hits in 1 file (showing the first 1499; --limit)\n"
        )
    );
    args[1] = "1500";
    let first = run_lossy_rows(&bad, &args);
    assert_eq!(first.0, all.0[..1501]);
    assert_eq!(first.0[1500][5], "firm. \u{FFFD}he");
}

#[test]
fn errors_come_in_the_order_of_the_files_whether_a_file_fails_to_open_or_its_check() {
    // bad.txt is memory-mapped (80,000 bytes) and fails only the UTF-8 check that kwic
    // makes in its search; the directory fails to open at all.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "the party met\n".repeat(5715).into_bytes();
    bytes[70_000] = 0xFF;
    let bad = write(dir.path(), "bad.txt", &bytes);
    let good = write(dir.path(), "good.txt", b"one party\n");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let sub = sub.to_str().unwrap().to_string();
    let bad_error = format!(
        "lectio: error: {bad}: invalid UTF-8 at line 5001, byte offset 70000 \
         (use --lossy to replace invalid bytes)"
    );
    let sub_error = format!(
        "lectio: error: {sub}: is a directory, not a text file (use -r to read its .txt files)"
    );
    let run = lectio(&["kwic", "party", &bad, &sub]);
    assert_eq!((run.code, run.stderr), (1, format!("{bad_error}\n")));
    let run = lectio(&["kwic", "party", &sub, &bad]);
    assert_eq!((run.code, run.stderr), (1, format!("{sub_error}\n")));
    let run = lectio(&["kwic", "party", &sub, &bad, &good, "--keep-going", "-q"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("{sub_error} (skipped)\n{bad_error} (skipped)\n1 hit in 1 file\n")
    );

    // A file skipped for its bytes was not read as an input: the report may replace it.
    let run = lectio(&["kwic", "party", &good, &bad, "--keep-going", "-o", &bad]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        format!("doc,line,column,start,end,left,match,right\n{good},1,5,4,9,one,party,\n")
    );
}

/// The CSV rows (header first) and the standard error of `lectio kwic party FILE --lossy
/// --words 2` with `more` arguments.
fn run_lossy_rows(file: &str, more: &[&str]) -> (Vec<Vec<String>>, String) {
    let mut args = vec![
        "kwic", "party", file, "--lossy", "--words", "2", "--format", "csv",
    ];
    args.extend_from_slice(more);
    let run = lectio(&args);
    assert_eq!(run.code, 0, "{run:?}");
    (csv_rows(&run.stdout), run.stderr)
}
