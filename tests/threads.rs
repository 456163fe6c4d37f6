//! `--threads N`: the output is the same bytes whatever the number of threads, for one big
//! file (cut into chunks and pieces) and for many files; and N must be a positive number.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A text of about 3 MB (several chunks of a MiB): the essay 80 times, every other copy
/// with CRLF line ends, and with a few words changed so that copies differ.
fn big_text(dir: &Path) -> PathBuf {
    let essay = essay_text();
    let mut text = String::new();
    for i in 0..80 {
        let copy = essay.replace(
            "monolithic",
            if i % 3 == 0 {
                "Monolithic"
            } else {
                "monolithic"
            },
        );
        if i % 2 == 1 {
            text.push_str(&copy.replace('\n', "\r\n"));
        } else {
            text.push_str(&copy);
        }
        text.push_str(&format!("\n\nCopy {i} ends here.\n\n"));
    }
    let path = dir.join("big.txt");
    std::fs::write(&path, text).unwrap();
    path
}

/// Eleven files of different sizes.
fn many_files(dir: &Path) -> Vec<String> {
    let essay = essay_text();
    (0..11)
        .map(|i| {
            let path = dir.join(format!("part-{i:02}.txt"));
            let cut = essay.len() * (i + 1) / 12;
            let cut = (cut..essay.len())
                .find(|&c| essay.is_char_boundary(c))
                .unwrap();
            std::fs::write(&path, &essay[..cut]).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect()
}

/// stdout of `lectio --threads N ARGS...` for N = 1, 2 and 4, checked to be the same.
fn same_for_all_thread_counts(args: &[&str]) -> String {
    let runs: Vec<Run> = ["1", "2", "4"]
        .iter()
        .map(|n| {
            let mut all = vec!["--threads", n];
            all.extend_from_slice(args);
            lectio(&all)
        })
        .collect();
    for run in &runs {
        assert_eq!(run.code, 0, "{run:?}");
    }
    assert!(!runs[0].stdout.is_empty());
    for run in &runs[1..] {
        assert!(run.stdout == runs[0].stdout, "output differs for {args:?}");
        assert_eq!(run.stderr, runs[0].stderr);
    }
    runs[0].stdout.clone()
}

#[test]
fn one_big_file_gives_the_same_output_with_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_text(dir.path());
    let big = big.to_str().unwrap();
    let freq = same_for_all_thread_counts(&["freq", big, "--format", "csv"]);
    assert!(freq.contains(",monolithic,240,"), "{}", &freq[..200]);
    same_for_all_thread_counts(&["freq", big, "--ngram", "2", "--format", "csv"]);
    same_for_all_thread_counts(&["freq", big, "--stopwords", "english", "--format", "csv"]);
    let kwic = same_for_all_thread_counts(&["kwic", "monolithic", big, "--format", "csv"]);
    assert_eq!(kwic.lines().count(), 1 + 240);
    same_for_all_thread_counts(&["kwic", "single party", big, "--format", "csv"]);
    same_for_all_thread_counts(&["kwic", "stalin*", big, "--format", "csv"]);
    same_for_all_thread_counts(&["collocates", "party", big, "--format", "csv"]);
}

#[test]
fn many_files_give_the_same_output_with_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let files = many_files(dir.path());
    let with = |args: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.extend(files.iter().cloned());
        all.extend(["--format".into(), "csv".into()]);
        all
    };
    for args in [
        with(&["freq"]),
        with(&["kwic", "party"]),
        with(&["collocates", "stalin"]),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        same_for_all_thread_counts(&args);
    }
}

#[test]
fn threads_must_be_a_positive_number() {
    for bad in ["0", "-1", "many"] {
        let run = lectio(&["--threads", bad, "freq"]);
        assert_eq!(run.code, 2, "{bad}: {run:?}");
    }
    // The flag is global: it may follow the subcommand.
    let run = lectio(&["freq", "--top", "1", "--threads", "2", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("the,506"));
}

#[test]
fn quiet_is_accepted_and_a_pipe_gets_no_progress_bar() {
    let run = lectio(&["--quiet", "freq", "--top", "1", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    // stderr is not a terminal here: only the summary, never a bar.
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
}
