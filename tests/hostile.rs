//! Odd and hostile input: binary files, UTF-16, directories, skipped files, formula cells.

mod common;

use common::*;

#[test]
fn binary_files_are_refused_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "doc.txt", b"%PDF-1.4\n\x00\x01\x02party");
    let run = lectio(&["kwic", "party", &path]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {path}: looks like a binary file (NUL byte at byte offset 9) \
             (use --binary to read it as text)\n"
        )
    );
    let run = lectio(&[
        "kwic", "party", &path, "--binary", "--format", "csv", "--words", "0",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("doc,line,column,start,end,left,match,right\n{path},2,4,12,17,,party,\n")
    );
}

#[test]
fn utf16_files_are_decoded_and_offsets_refer_to_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Straße\r\nthe single party";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes, enc) in [("le.txt", le, "UTF-16LE"), ("be.txt", be, "UTF-16BE")] {
        let path = write(dir.path(), name, &bytes);
        let run = lectio(&["kwic", "single party", &path, "--format", "csv"]);
        assert_eq!(run.code, 0, "{run:?}");
        // BOM (3 bytes in UTF-8) + "Straße" (7) + CRLF (2) + "the " (4) = 16.
        assert_eq!(
            run.stdout,
            format!(
                "doc,line,column,start,end,left,match,right\n\
                 {path},2,5,16,28,Straße the,single party,\n"
            )
        );
        assert_eq!(
            run.stderr,
            format!(
                "lectio: warning: {path}: decoded from {enc}; offsets refer to its UTF-8 form\n\
                 1 hit in 1 file\n"
            )
        );
    }
}

#[test]
fn only_punctuation_and_one_huge_word_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let punct = write(
        dir.path(),
        "punct.txt",
        "—”.,;:!?()[]…".repeat(10_000).as_bytes(),
    );
    let run = lectio(&["kwic", "the", &punct, "--format", "csv"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, "0 hits in 0 files\n"));
    // A 5 MB single word: one hit, context empty, offsets exact.
    let huge = "a".repeat(5 << 20);
    let path = write(dir.path(), "huge.txt", format!("x {huge} y").as_bytes());
    let run = lectio(&["kwic", "a*", &path, "--format", "csv", "--chars", "3"]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1][3..5],
        ["2".to_string(), (2 + (5 << 20)).to_string()]
    );
    assert_eq!((rows[1][5].as_str(), rows[1][7].as_str()), ("x", "y"));
}

#[test]
fn directories_need_r_and_are_walked_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("b/sub")).unwrap();
    write(dir.path(), "b/sub/z.txt", b"party z");
    write(dir.path(), "b/a.TXT", b"party a");
    write(dir.path(), "b/notes.md", b"party md");
    let b = dir.path().join("b");
    let b = b.to_str().unwrap();
    let run = lectio(&["kwic", "party", b]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {b}: is a directory, not a text file (use -r to read its .txt files)\n"
        )
    );
    let run = lectio(&["kwic", "party", "-r", b, "--format", "csv", "--words", "1"]);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right\n\
             {b}/a.TXT,1,1,0,5,,party,a\n{b}/sub/z.txt,1,1,0,5,,party,z\n"
        )
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = lectio(&["kwic", "party", "-r", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .ends_with("empty: no .txt files in this directory\n"),
        "{run:?}"
    );
}

#[test]
fn keep_going_reports_skips_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", b"one party");
    let bad = write(dir.path(), "bad.txt", b"\xff party");
    let not_dir = format!("{good}/inside.txt");
    let run = lectio(&[
        "kwic",
        "party",
        &bad,
        &good,
        &not_dir,
        "--keep-going",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!("doc,line,column,start,end,left,match,right\n{good},1,5,4,9,one,party,\n")
    );
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {bad}: invalid UTF-8 at line 1, byte offset 0 (use --lossy to replace invalid bytes) (skipped)\n\
             lectio: error: {not_dir}: Not a directory (os error 20) (skipped)\n\
             1 hit in 1 file\n"
        )
    );
    // Without --keep-going the first bad file stops the run before any output.
    let run = lectio(&["kwic", "party", &good, &bad]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
}

#[test]
fn formula_cells_are_guarded_in_csv_and_tsv() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "evil.txt", b"=SUM(A1) party -2+3 party @cmd");
    let run = lectio(&["kwic", "party", &path, "--format", "csv", "--chars", "9"]);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right\n\
             {path},1,10,9,14,'=SUM(A1),party,'-2+3 part\n\
             {path},1,21,20,25,arty -2+3,party,'@cmd\n"
        )
    );
    let run = lectio(&["kwic", "party", &path, "--format", "tsv", "--chars", "9"]);
    assert_eq!(
        run.stdout.lines().nth(1).unwrap(),
        format!("{path}\t1\t10\t9\t14\t'=SUM(A1)\tparty\t'-2+3 part")
    );
    let run = lectio(&[
        "kwic",
        "party",
        &path,
        "--format",
        "csv",
        "--chars",
        "9",
        "--raw-csv",
    ]);
    assert_eq!(
        run.stdout.lines().nth(1).unwrap(),
        format!("{path},1,10,9,14,=SUM(A1),party,-2+3 part")
    );
    // JSON is data, not a spreadsheet: never altered.
    let run = lectio(&[
        "kwic", "party", &path, "--format", "json", "--chars", "9", "--limit", "1",
    ]);
    assert!(
        run.stdout.contains("\"left\":\"=SUM(A1)\""),
        "{}",
        run.stdout
    );
}
