//! The reading view in a real browser: headless Chromium loads reports/index.html, runs
//! its script, and the DOM and a screenshot are checked.
//!
//! Ignored by a plain `cargo test` (it needs Chromium, which a fresh machine lacks);
//! `.ci/run` installs Chromium and runs it with `cargo test --test browser -- --ignored`.
//! If Chromium cannot run, the test fails and says so: it never passes silently.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn chromium() -> PathBuf {
    let candidates = [
        std::env::var("LECTIO_CHROMIUM").ok(),
        Some("chromium".into()),
        Some("chromium-browser".into()),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return PathBuf::from(c);
        }
    }
    panic!(
        "Chromium cannot run here (tried $LECTIO_CHROMIUM, chromium, chromium-browser): \
         install it with `apt-get install -y chromium` to run the browser test"
    );
}

/// Runs headless Chromium on `page` with `args`, in a fresh profile; returns stdout.
fn headless(page: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
#[ignore = "needs Chromium; .ci/run installs it and runs this with --ignored"]
fn the_reading_view_renders_in_chromium() {
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let page = reports.join("index.html");

    // The DOM after the page's script ran.
    let dom = headless(&page, &["--dump-dom"]);
    for alias in ["emended", "plain"] {
        let csv = std::fs::read_to_string(reports.join(format!("variants-{alias}.csv"))).unwrap();
        let rows = csv_rows(&csv);
        let spans = |a: usize, b: usize| {
            rows[1..]
                .iter()
                .filter(|r| r[a].parse::<usize>().unwrap() < r[b].parse::<usize>().unwrap())
                .count()
        };
        let del = dom.matches(&format!("<del id=\"v-{alias}-")).count();
        let ins = dom.matches(&format!("<ins id=\"v-{alias}-")).count();
        assert_eq!((del, ins), (spans(6, 7), spans(10, 11)), "{alias}");
    }
    let kwic = std::fs::read_to_string(reports.join("kwic-monolithic.csv")).unwrap();
    assert_eq!(dom.matches("<mark>").count(), csv_rows(&kwic).len() - 1);
    // The script ran: only the chosen witness (the first) is shown.
    assert!(
        dom.contains("class=\"witness\" id=\"w-emended\""),
        "emended is shown"
    );
    assert!(
        dom.contains("class=\"witness hidden\" id=\"w-plain\""),
        "plain is hidden"
    );

    // A screenshot that is not blank: many pixels that are not background.
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    headless(&page, &[&format!("--screenshot={}", shot.display())]);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let inked = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let total = pixels.len() / channels;
    assert_eq!((info.width, info.height), (1280, 2000));
    assert!(
        inked * 100 > total * 3,
        "screenshot looks blank: {inked} of {total} pixels inked"
    );
}
