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

/// The first line of stderr, and the exit code.
fn first_error(run: &Run) -> (i32, String) {
    (
        run.code,
        run.stderr.lines().next().unwrap_or("").to_string(),
    )
}

#[test]
fn diff_collate_and_align_report_bad_inputs_as_kwic_does() {
    let dir = tempfile::tempdir().unwrap();
    let essay = essay();
    let essay = essay.to_str().unwrap();
    let directory = dir.path().join("sub");
    std::fs::create_dir(&directory).unwrap();
    let directory = directory.to_str().unwrap().to_string();
    let binary = write(dir.path(), "bin.txt", b"%PDF-1.4\n\x00\x01party");
    let latin1 = write(dir.path(), "latin1.txt", b"the caf\xe9 party\n");
    for path in ["no/such/file.txt", &directory, &binary, &latin1] {
        let want = first_error(&lectio(&["kwic", "party", path]));
        assert_eq!(want.0, 1);
        for args in [
            vec!["diff", essay, path],
            vec!["diff", path, essay],
            vec!["collate", essay, essay, path],
            vec!["align", essay, path],
        ] {
            let mut args = args;
            args.extend(["--format", "csv"]);
            assert_eq!(first_error(&lectio(&args)), want, "{args:?}");
        }
    }
}

#[test]
fn diff_of_empty_and_punctuation_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.txt", b"");
    let punct = write(dir.path(), "punct.txt", "—”.,;:!?".repeat(1000).as_bytes());
    let run = lectio(&["diff", &empty, &empty, "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, format!("{}\n", DIFF_HEADER));
    // Everything omitted is one omission, classed by what it is: punctuation only.
    let run = lectio(&["diff", &punct, &empty, "--format", "csv"]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1][2..8],
        [
            "omission",
            "accidental",
            "punctuation;quotation marks;dashes",
            "1",
            "0",
            "12000"
        ]
    );
}

const DIFF_HEADER: &str = "id,witness,kind,class,detail,base_line,base_start,base_end,base_text,\
witness_line,witness_start,witness_end,witness_text,move";

#[test]
fn pathological_diffs_give_honest_results() {
    let dir = tempfile::tempdir().unwrap();
    // The same line 100,000 times against a copy whose last 10 lines differ.
    let same = "The same line again and again.\n";
    let base = write(dir.path(), "base.txt", same.repeat(100_000).as_bytes());
    let changed = format!(
        "{}{}",
        same.repeat(99_990),
        "A different line here.\n".repeat(10)
    );
    let witness = write(dir.path(), "witness.txt", changed.as_bytes());
    let run = lectio(&["diff", &base, &witness, "--format", "csv"]);
    assert_eq!(run.code, 0);
    let rows = csv_rows(&run.stdout);
    // Every row lies in the last ten lines, none before: the repeated text aligned in place.
    assert!(rows[1..]
        .iter()
        .all(|r| r[5].parse::<usize>().unwrap() > 99_990));
    assert_eq!(rows.len() - 1, 11);
    // A witness that shares no word with the base: one substitution of the whole text.
    let other = write(dir.path(), "other.txt", b"Nothing here matches anything.");
    let small = write(
        dir.path(),
        "small.txt",
        b"Entirely different words, all of them.",
    );
    let run = lectio(&["diff", &small, &other, "--format", "csv"]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len() - 1, 1);
    assert_eq!(rows[1][2..5], ["substitution", "substantive", ""]);
    assert!(
        run.stderr.ends_with("similarity 0.0000\n"),
        "{}",
        run.stderr
    );
    // The essay against its words reversed: it finishes, and says how little is left.
    let text = essay_text();
    let reversed: Vec<&str> = text.split_whitespace().rev().collect();
    let rev = write(dir.path(), "reversed.txt", reversed.join(" ").as_bytes());
    let run = lectio(&["diff", essay().to_str().unwrap(), &rev, "--format", "csv"]);
    assert_eq!(run.code, 0);
    let similarity: f64 = run
        .stderr
        .trim_end()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(similarity < 0.05, "{}", run.stderr);
}

#[test]
fn formula_cells_are_guarded_in_diff_output() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"=1+1 party -- now");
    let b = write(dir.path(), "b.txt", b"@SUM(1) party now");
    let run = lectio(&["diff", &a, &b, "--format", "csv"]);
    assert_eq!(
        run.stdout,
        format!(
            "{DIFF_HEADER}\n\
             1,{b},substitution,substantive,,1,0,3,'=1+,1,0,5,'@SUM(,\n\
             2,{b},addition,accidental,punctuation,1,4,4,,1,6,7,),\n\
             3,{b},omission,accidental,dashes,1,11,13,'--,1,13,13,,\n"
        )
    );
    let run = lectio(&["diff", &a, &b, "--format", "tsv", "--raw-csv"]);
    assert_eq!(
        run.stdout.lines().nth(1).unwrap(),
        format!("1\t{b}\tsubstitution\tsubstantive\t\t1\t0\t3\t=1+\t1\t0\t5\t@SUM(\t")
    );
}

#[test]
fn ctrl_c_leaves_no_partial_report() {
    interrupt_leaves_no_partial_report("-INT");
}

#[test]
fn sigterm_and_sighup_leave_no_partial_report() {
    // What `timeout` and a closed terminal send.
    interrupt_leaves_no_partial_report("-TERM");
    interrupt_leaves_no_partial_report("-HUP");
}

fn interrupt_leaves_no_partial_report(signal: &str) {
    // The signal is sent once the report's temporary file exists; should the run still
    // finish first (a loaded machine can stall this test between the two), the report
    // is whole and in place, and the test tries again on a text twice as long.
    for repeat in [200, 400, 800, 1600] {
        if interrupted_while_writing(signal, repeat) {
            return;
        }
    }
    panic!("{signal}: every run finished before the signal reached it");
}

/// Runs kwic over the essay `repeat` times with `-o` and sends `signal` while the report
/// is being written: true when the run was interrupted (exit 130) and left nothing behind;
/// false when it finished first (its complete report in place, no temporary file); any
/// other outcome fails the test.
fn interrupted_while_writing(signal: &str, repeat: usize) -> bool {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "big.txt",
        essay_text().repeat(repeat).as_bytes(),
    );
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("hits.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args([
            "kwic",
            "the",
            &input,
            "--threads",
            "1",
            "-o",
            target.to_str().unwrap(),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let names = || -> Vec<String> {
        std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    // Wait until the report is being written (its temporary file exists), then interrupt.
    let start = Instant::now();
    let temp_seen = loop {
        if names()
            .iter()
            .any(|n| n.starts_with(".lectio-") && n.ends_with(".tmp"))
        {
            break true;
        }
        if start.elapsed() > Duration::from_secs(60) || child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let left = names();
    if left == ["hits.csv"] {
        // Finished before the signal: the rename is atomic, so the report is whole.
        return false;
    }
    assert!(
        temp_seen,
        "{signal}: the report's temporary file never appeared"
    );
    assert!(killed.success());
    assert_eq!(status.code(), Some(130), "{signal}: {status:?}");
    assert!(left.is_empty(), "{signal}: left behind: {left:?}");
    true
}

#[cfg(unix)]
#[test]
fn output_through_links_into_pipes_and_over_private_reports() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let expected = lectio(&["kwic", "party"]).stdout;
    // A link: the file it points to gets the report; the link stays a link.
    write(d, "real.csv", b"old\n");
    std::os::unix::fs::symlink("real.csv", d.join("link.csv")).unwrap();
    let link = d.join("link.csv");
    assert_eq!(
        lectio(&["kwic", "party", "-o", link.to_str().unwrap()]).code,
        0
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(d.join("real.csv")).unwrap(),
        expected
    );
    // A dangling link: the file is made where it points.
    std::os::unix::fs::symlink("new.csv", d.join("dangling.csv")).unwrap();
    let dangling = d.join("dangling.csv");
    assert_eq!(
        lectio(&["kwic", "party", "-o", dangling.to_str().unwrap()]).code,
        0
    );
    assert_eq!(
        std::fs::read_to_string(d.join("new.csv")).unwrap(),
        expected
    );
    // A report kept private stays private when it is replaced.
    let private = write(d, "private.csv", b"old\n");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(lectio(&["kwic", "party", "-o", &private]).code, 0);
    let mode = std::fs::metadata(&private).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(std::fs::read_to_string(&private).unwrap(), expected);
    // A named pipe is written into, not replaced by a file.
    let fifo = d.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    assert_eq!(
        lectio(&["kwic", "party", "-o", fifo.to_str().unwrap()]).code,
        0
    );
    assert_eq!(reader.join().unwrap(), expected);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_no_temporary_files(d);
}

/// Fails if a temporary report file (`.lectio-*`) is left in `dir`.
fn assert_no_temporary_files(dir: &std::path::Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".lectio-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A report of several MiB, whose writing to disk is started every MiB as it is written, is
/// the same bytes as on standard output, both new and replacing another report, and no
/// temporary file is left. (Whether the disk was asked to start early cannot be seen from
/// here: the request never changes what the file holds.)
#[test]
fn a_report_of_several_mebibytes_is_written_whole_new_or_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = write(d, "essay-x40.txt", essay_text().repeat(40).as_bytes());
    let expected = lectio(&["kwic", "the", &input, "--format", "csv"]).stdout;
    assert_eq!(expected.lines().count(), 1 + 40 * 506);
    assert!(expected.len() > 2 << 20, "{} bytes", expected.len());
    let report = d.join("the.csv");
    let report = report.to_str().unwrap();
    for old in [None, Some("old\n")] {
        if let Some(old) = old {
            write(d, "the.csv", old.as_bytes());
        }
        let run = lectio(&["kwic", "the", &input, "-o", report]);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (0, "20240 hits in 1 file\n")
        );
        assert!(std::fs::read_to_string(report).unwrap() == expected);
    }
    assert_no_temporary_files(d);
}

#[cfg(target_os = "linux")]
#[test]
fn devices_are_written_in_place_and_full_disks_name_the_report() {
    use std::os::unix::fs::FileTypeExt;
    let run = lectio(&["kwic", "party", "-o", "/dev/null"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    let run = lectio(&["kwic", "party", "-o", "/dev/full"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: /dev/full: No space left on device (os error 28)\n"
    );
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["kwic", "party"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "lectio: error: standard output: No space left on device (os error 28)\n"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn endless_devices_are_refused_at_their_first_nul() {
    let run = lectio(&["kwic", "x", "/dev/zero"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: /dev/zero: looks like a binary file (NUL byte at byte offset 0) \
         (use --binary to read it as text)\n"
    );
    // From standard input too, at the NUL's offset.
    let mut bytes = vec![b'a'; 100_000];
    bytes.extend_from_slice(b" \0 b");
    let run = lectio_with_stdin(&["freq", "-"], Some(&bytes));
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lectio: error: -: looks like a binary file (NUL byte at byte offset 100001) \
         (use --binary to read it as text)\n"
    );
}

#[test]
fn standard_input_is_read_once() {
    for args in [
        &["diff", "-", "-"][..],
        &["freq", "-", "-"],
        &["align", "-", "-"],
    ] {
        let run = lectio_with_stdin(args, Some(b"a b c\n"));
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr, "lectio: error: standard input (-) can be read only once\n",
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_stderr_does_not_stop_a_report() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("hits.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["kwic", "party", "-o", target.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Nobody reads the summary line: writing it fails with a broken pipe.
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        lectio(&["kwic", "party"]).stdout
    );
}

#[test]
fn thread_counts_are_bounded_from_the_environment_too() {
    let run = lectio(&["--threads", "257", "freq"]);
    assert_eq!(run.code, 2);
    assert!(run
        .stderr
        .starts_with("error: invalid value '257' for '--threads <N>': 257 is not in 1..=256\n"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["freq", "--top", "1"])
        .env("RAYON_NUM_THREADS", "100000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "lectio: error: RAYON_NUM_THREADS=100000: the number of threads must be 1 to 256 \
         (0 for all cores)\n"
    );
}

#[test]
fn control_characters_are_shown_not_sent_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let source = write(dir.path(), "esc.txt", b"Red \x1b[31m party\x7f line.\n");
    let target = write(dir.path(), "de.txt", b"Rote Partei Linie.\n");
    let run = lectio(&["align", &source, &target, "--format", "table"]);
    assert_eq!(run.code, 0);
    let row = run.stdout.lines().nth(1).unwrap();
    assert!(
        row.contains("Red \u{241B}[31m party\u{2421} line."),
        "{row:?}"
    );
    assert!(!run.stdout.contains(['\x1b', '\x7f']), "{:?}", run.stdout);
    // CSV keeps the text exactly.
    let csv = lectio(&["align", &source, &target, "--format", "csv"]);
    assert!(
        csv.stdout.contains("Red \x1b[31m party\x7f line."),
        "{:?}",
        csv.stdout
    );
}

#[test]
fn a_report_never_replaces_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = essay_text();
    let f = write(dir.path(), "essay.txt", text.as_bytes());
    for args in [
        &["freq", &f, "-o", &f][..],
        &["kwic", "party", &f, "-o", &f],
        &["diff", &f, "@emended", "-o", &f],
    ] {
        let run = lectio(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr,
            format!(
                "lectio: error: {f}: is an input of this run; the report would replace it \
                 (choose another -o)\n"
            ),
            "{args:?}"
        );
        assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
    }
    // A file of 64 KiB or more is memory-mapped, and kwic checks it in its own pass: it is
    // known as an input from its open file, once it has passed.
    let big_text = text.repeat(3);
    let big = write(dir.path(), "big.txt", big_text.as_bytes());
    for args in [
        &["kwic", "party", &big, "-o", &big][..],
        &["freq", &big, "-o", &big],
    ] {
        let run = lectio(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("is an input of this run"), "{args:?}");
        assert_eq!(std::fs::read_to_string(&big).unwrap(), big_text);
    }
    // Through a link too.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        let run = lectio(&["freq", &f, "-o", link.to_str().unwrap()]);
        assert_eq!(run.code, 2);
        assert_eq!(std::fs::read_to_string(&f).unwrap(), text);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn output_to_the_process_own_descriptors_is_written_into() {
    use std::process::{Command, Stdio};
    let expected = lectio(&["kwic", "party"]).stdout;
    // Into a pipe, by any of the names of standard output.
    for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        let run = lectio(&["kwic", "party", "-o", name]);
        assert_eq!(
            (run.code, &run.stdout),
            (0, &expected),
            "{name}: {}",
            run.stderr
        );
    }
    // Appended to a file standard output appends to, which is not replaced.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    std::fs::write(&log, "LOGLINE\n").unwrap();
    let append = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["kwic", "party", "-o", "/dev/stdout"])
        .stdout(append)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("LOGLINE\n{expected}")
    );
}

#[test]
fn a_dash_as_the_output_is_standard_output() {
    // In an empty directory, where a file named "-" would show.
    let dir = tempfile::tempdir().unwrap();
    let essay = essay();
    let essay = essay.to_str().unwrap();
    for args in [
        &["kwic", "party"][..],
        &["freq", "--top", "5"],
        &["plot", "party"],
        &["diff", essay, essay, "--format", "csv"],
    ] {
        let expected = lectio(args).stdout;
        assert!(!expected.is_empty(), "{args:?}");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_lectio"))
            .args(args)
            .args(["-o", "-"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8(run.stdout).unwrap(), expected, "{args:?}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn standard_input_is_read_once_in_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"the cat sat on the mat.\n");
    for args in [
        &["diff", &a, "-", "--spelling", "-"][..],
        &["freq", "-", "--stopwords", "-"],
        &["kwic", "the", "-", "--parallel", "-"],
    ] {
        // A valid spelling list, stop list and text alike.
        let run = lectio_with_stdin(args, Some(b"cat,dog\n"));
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr, "lectio: error: standard input (-) can be read only once\n",
            "{args:?}"
        );
    }
}

#[test]
fn lists_and_standard_input_are_inputs_a_report_may_not_replace() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"the cat sat on the mat.\n");
    let w = write(dir.path(), "w.txt", b"the cat sat on a mat.\n");
    let sp = write(dir.path(), "sp.txt", b"cat,dog\n");
    let run = lectio(&["diff", &a, &w, "--spelling", &sp, "-o", &sp]);
    assert_eq!(run.code, 2);
    assert_eq!(std::fs::read_to_string(&sp).unwrap(), "cat,dog\n");
    // `lectio freq - -o a.txt < a.txt`
    let out = Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["freq", "-", "-o", &a])
        .stdin(std::fs::File::open(&a).unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "lectio: error: {a}: is an input of this run; the report would replace it \
             (choose another -o)\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        "the cat sat on the mat.\n"
    );
}

#[test]
fn an_empty_rayon_num_threads_means_all_cores() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lectio"))
        .args(["freq", "--top", "1"])
        .env("RAYON_NUM_THREADS", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        lectio(&["freq", "--top", "1"]).stdout
    );
}
