//! The reading view, reports/index.html: one self-contained page (inline CSS and JS, no
//! network) with the comparisons side by side, the KWIC table, the word list and the
//! dispersion plot. It is built from the report files written just before it, so that the
//! page and the CSVs can never disagree.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use lectio_concord::kwic::{self, Context, Hit};
use lectio_concord::query::{Query, QueryOptions};
use lectio_diff::bitext;
use quick_xml::escape::escape;
use serde::Deserialize;

use crate::input::{Embedded, EMBEDDED};
use crate::output::Out;

/// The witnesses compared with the essay, with the report file of their variants.
const COMPARISONS: [(&str, &str); 2] = [
    ("emended", "variants-emended.csv"),
    ("plain", "variants-plain.csv"),
];

/// Rows of the word list shown.
const FREQ_ROWS: usize = 100;

/// The columns of a variants CSV that the page needs.
#[derive(Debug, Deserialize)]
struct VariantRow {
    id: usize,
    kind: String,
    class: String,
    detail: String,
    base_start: usize,
    base_end: usize,
    witness_start: usize,
    witness_end: usize,
    #[serde(rename = "move")]
    move_id: String,
}

fn embedded(alias: &str) -> &'static Embedded {
    EMBEDDED
        .iter()
        .find(|e| e.alias == alias)
        .expect("known embedded text")
}

fn text_of(e: &Embedded) -> &'static str {
    std::str::from_utf8(e.bytes).expect("the embedded texts are UTF-8")
}

/// Writes `index` from the reports in `dir`.
pub fn write_index(dir: &Path, index: &Path) -> Result<()> {
    let essay = embedded("essay");
    let mut page = String::with_capacity(1 << 20);
    page.push_str(HEAD);
    let _ = write!(
        page,
        "<header><h1>lectio reports</h1><p>Isaac Deutscher, <cite>Khrushchev on Stalin</cite> \
         (1956), Marxist Internet Archive transcription (2012): <code>{}</code>, compared \
         with the project's emended reading text and plain-ASCII reprint.</p>\
         <nav><a href=\"#compare\">Comparison</a> <a href=\"#kwic\">KWIC: monolithic</a> \
         <a href=\"#freq\">Word list</a> <a href=\"#dispersion\">Dispersion</a> \
         <a href=\"#files\">Files</a></nav></header>\n<main>\n",
        escape(essay.name)
    );

    page.push_str(
        "<section id=\"compare\"><h2>Comparison</h2>\n<div class=\"controls\">\
         <label>Witness <select id=\"witness\">",
    );
    for (alias, _) in COMPARISONS {
        let _ = write!(
            page,
            "<option value=\"{alias}\">{}</option>",
            escape(embedded(alias).name)
        );
    }
    page.push_str(
        "</select></label> <label><input type=\"checkbox\" id=\"hide-acc\"> Hide accidental \
         variants</label> <span class=\"legend\"><del class=\"substantive\">substantive</del> \
         <del class=\"accidental\">accidental</del> <ins class=\"substantive\">added</ins>\
         </span></div>\n",
    );
    for (alias, file) in COMPARISONS {
        let rows = read_variants(&dir.join(file))?;
        comparison(&mut page, essay, embedded(alias), alias, &rows);
    }
    page.push_str("</section>\n");

    kwic_section(&mut page, text_of(essay));
    freq_section(&mut page, &dir.join("freq-words.csv"))?;

    let svg_path = dir.join("dispersion.svg");
    let svg = std::fs::read_to_string(&svg_path)
        .with_context(|| format!("{}: cannot read", svg_path.display()))?;
    let svg = svg.trim_start_matches(|c| c != '<');
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, body)| body),
        None => svg,
    };
    let _ = writeln!(
        page,
        "<section id=\"dispersion\"><h2>Dispersion: monolithic, party, Stalin, Trotsky</h2>\
         <div class=\"plot\">{}</div></section>",
        svg.trim()
    );

    page.push_str("<section id=\"files\"><h2>Files</h2><ul>");
    for (file, command) in crate::cmd::report::REPORTS {
        let _ = write!(
            page,
            "<li><a href=\"{file}\">{file}</a>: <code>lectio {}</code></li>",
            escape(command.join(" "))
        );
    }
    page.push_str("</ul></section>\n</main>\n");
    page.push_str(SCRIPT);
    page.push_str("</body>\n</html>\n");

    let mut out = Out::create(Some(index))?;
    out.write_all(page.as_bytes())?;
    out.finish()
}

fn read_variants(path: &Path) -> Result<Vec<VariantRow>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("{}: cannot read", path.display()))?;
    reader
        .deserialize()
        .collect::<Result<Vec<VariantRow>, _>>()
        .with_context(|| format!("{}: unexpected contents", path.display()))
}

/// One mark to put into a paragraph: `<del>` or `<ins>` over a span, or a caret where
/// the other side has text.
struct Mark<'a> {
    start: usize,
    end: usize,
    tag: &'static str,
    row: &'a VariantRow,
}

/// The base and the witness side by side, paragraph by paragraph, with their variants.
fn comparison(
    page: &mut String,
    base: &Embedded,
    witness: &Embedded,
    alias: &str,
    rows: &[VariantRow],
) {
    let (btext, wtext) = (text_of(base), text_of(witness));
    let substantive = rows.iter().filter(|r| r.class == "substantive").count();
    let _ = write!(
        page,
        "<article class=\"witness\" id=\"w-{alias}\" data-witness=\"{alias}\">\
         <h3>{} <span class=\"vs\">against</span> {}</h3>\
         <p class=\"count\">{} variants: {substantive} substantive, {} accidental \
         (<a href=\"{}\">CSV</a>)</p>",
        escape(base.name),
        escape(witness.name),
        rows.len(),
        rows.len() - substantive,
        COMPARISONS
            .iter()
            .find(|c| c.0 == alias)
            .map_or("", |c| c.1),
    );
    strip(page, alias, rows, btext.len());
    // One mark per variant on each side: the reading, or a caret where it has none.
    let marks = |side: fn(&VariantRow) -> (usize, usize), tag: &'static str| -> Vec<Mark> {
        rows.iter()
            .map(|r| {
                let (start, end) = side(r);
                let tag = if start < end { tag } else { "caret" };
                Mark {
                    start,
                    end,
                    tag,
                    row: r,
                }
            })
            .collect()
    };
    let del = marks(|r| (r.base_start, r.base_end), "del");
    let ins = marks(|r| (r.witness_start, r.witness_end), "ins");
    page.push_str("<div class=\"pairs\">");
    for link in bitext::align(btext, wtext).paragraphs {
        page.push_str("<div class=\"pair\"><div class=\"base\">");
        paragraph(page, btext, link.source, &del, alias);
        page.push_str("</div><div class=\"wit\">");
        paragraph(page, wtext, link.target, &ins, alias);
        page.push_str("</div></div>\n");
    }
    page.push_str("</div></article>\n");
}

/// Juxta's heat map, slimmed down: where in the base each variant falls.
fn strip(page: &mut String, alias: &str, rows: &[VariantRow], len: usize) {
    let _ = write!(
        page,
        "<svg class=\"strip\" viewBox=\"0 0 1000 12\" preserveAspectRatio=\"none\" \
         role=\"img\" aria-label=\"where the variants fall in the base text\">\
         <rect width=\"1000\" height=\"12\" class=\"track\"/>"
    );
    for r in rows {
        let x = r.base_start as f64 * 1000.0 / len.max(1) as f64;
        let _ = write!(
            page,
            "<a href=\"#v-{alias}-{}-{}\"><rect class=\"{}\" x=\"{x:.1}\" width=\"3\" \
             height=\"12\"/></a>",
            r.id,
            if r.base_start < r.base_end {
                "del"
            } else {
                "caret"
            },
            r.class
        );
    }
    page.push_str("</svg>");
}

/// The text of `span` with the marks that fall in it, nested properly.
fn paragraph(page: &mut String, text: &str, span: (usize, usize), marks: &[Mark], alias: &str) {
    let (ps, pe) = span;
    let mut inside: Vec<(usize, usize, &Mark)> = marks
        .iter()
        .filter(|m| match m.tag {
            "caret" => ps <= m.start && m.start <= pe && pe > ps,
            _ => m.start < pe && ps < m.end,
        })
        .map(|m| (m.start.max(ps), m.end.min(pe), m))
        .collect();
    // Outer marks first: by start, then the longer one.
    inside.sort_by_key(|&(s, e, m)| (s, std::cmp::Reverse(e), m.row.id));
    // Open elements: where each ends and its tag.
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut pos = ps;
    let close_to = |page: &mut String, pos: &mut usize, open: &mut Vec<(usize, &str)>, at| {
        while let Some(&(end, tag)) = open.last().filter(|(end, _)| *end <= at) {
            page.push_str(&escape(&text[*pos..end]));
            *pos = end;
            let _ = write!(page, "</{tag}>");
            open.pop();
        }
    };
    for (start, end, m) in inside {
        close_to(page, &mut pos, &mut open, start);
        page.push_str(&escape(&text[pos..start]));
        pos = start;
        let r = m.row;
        let title = format!(
            "{}, {}{}{}",
            r.kind,
            r.class,
            if r.detail.is_empty() { "" } else { ": " },
            r.detail
        );
        if m.tag == "caret" {
            let _ = write!(
                page,
                "<span class=\"caret {}\" title=\"{}\">‸</span>",
                r.class,
                escape(&title)
            );
            continue;
        }
        // A mark that overlaps its parent without nesting is cut at the parent's end.
        let end = open.last().map_or(end, |&(top, _)| end.min(top));
        let _ = write!(
            page,
            "<{tag} id=\"v-{alias}-{id}-{tag}\" class=\"{class}{moved}\" data-v=\"{id}\" \
             title=\"{title}\">",
            tag = m.tag,
            id = r.id,
            class = r.class,
            moved = if r.move_id.is_empty() { "" } else { " move" },
            title = escape(&title)
        );
        open.push((end, m.tag));
    }
    close_to(page, &mut pos, &mut open, usize::MAX);
    page.push_str(&escape(&text[pos..pe]));
}

/// The concordance of "monolithic" with the hits marked, sortable on L1 and R1.
fn kwic_section(page: &mut String, essay: &str) {
    let query = Query::parse("monolithic", QueryOptions::default()).expect("a valid query");
    let hits: Vec<Hit> = kwic::search(0, essay, &query, Context::Words(8));
    let _ = write!(
        page,
        "<section id=\"kwic\"><h2>KWIC: monolithic</h2><p>{} hits (<a \
         href=\"kwic-monolithic.csv\">CSV</a>). Click L1 or R1 to sort on the word before or \
         after the hit; Line restores document order.</p>\
         <div class=\"scroll\"><table class=\"kwic\"><thead><tr>\
         <th><button data-sort=\"pos\">Line</button></th>\
         <th class=\"left\"><button data-sort=\"l1\">L1</button></th><th>Hit</th>\
         <th class=\"right\"><button data-sort=\"r1\">R1</button></th></tr></thead><tbody>",
        hits.len()
    );
    for (i, h) in hits.iter().enumerate() {
        let first = |keys: &[String]| keys.first().cloned().unwrap_or_default();
        let _ = write!(
            page,
            "<tr data-pos=\"{i}\" data-l1=\"{}\" data-r1=\"{}\"><td>{}</td>\
             <td class=\"left\">{}</td><td class=\"hit\"><mark>{}</mark></td>\
             <td class=\"right\">{}</td></tr>",
            escape(first(&h.left_keys)),
            escape(first(&h.right_keys)),
            h.line,
            escape(&h.left),
            escape(kwic::collapse(&h.matched)),
            escape(&h.right)
        );
    }
    page.push_str("</tbody></table></div></section>\n");
}

/// The first rows of the word list, as written to freq-words.csv.
fn freq_section(page: &mut String, path: &Path) -> Result<()> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let headers = reader.headers()?.clone();
    let _ = write!(
        page,
        "<section id=\"freq\"><h2>Word list: the first {FREQ_ROWS}</h2><p>From \
         <a href=\"freq-words.csv\">freq-words.csv</a>; <code>per_million</code> = count / N \
         × 10⁶, <code>dp</code> = Gries' DP (0 = even, 1 = in one part).</p>\
         <div class=\"scroll\"><table class=\"freq\"><thead><tr>"
    );
    for h in &headers {
        let _ = write!(page, "<th>{}</th>", escape(h));
    }
    page.push_str("</tr></thead><tbody>");
    for record in reader.records().take(FREQ_ROWS) {
        page.push_str("<tr>");
        for cell in &record? {
            let _ = write!(page, "<td>{}</td>", escape(cell));
        }
        page.push_str("</tr>");
    }
    page.push_str("</tbody></table></div></section>\n");
    Ok(())
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lectio reports: Deutscher, Khrushchev on Stalin</title>
<style>
:root { --sub: #b3261e; --acc: #5f6b7a; --ins: #1b7f3b; --bg: #fff; --fg: #1d1d1f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 Georgia, "Times New Roman", serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
header h1 { margin: 1rem 0 0.25rem; font-size: 1.6rem; }
nav a { margin-right: 1rem; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
code { font-size: 0.9em; }
.controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0.5rem 0; font-family: system-ui, sans-serif; font-size: 0.9rem; }
.legend del, .legend ins { padding: 0 0.2em; }
.witness.hidden { display: none; }
.vs { font-weight: normal; color: #666; }
.count { font-family: system-ui, sans-serif; font-size: 0.9rem; color: #444; }
.strip { display: block; width: 100%; height: 12px; margin: 0.5rem 0 1rem; }
.strip .track { fill: #eee; }
.strip .substantive { fill: var(--sub); }
.strip .accidental { fill: var(--acc); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; padding: 0.4rem 0; border-top: 1px solid #f0f0f0; }
.pair > div { min-width: 0; overflow-wrap: anywhere; }
del.substantive { color: var(--sub); background: #fde7e5; text-decoration: line-through; }
ins.substantive { color: var(--ins); background: #e3f4e8; text-decoration: underline; }
del.accidental, ins.accidental { color: inherit; background: #eef1f5; text-decoration: underline dotted var(--acc); }
del.move, ins.move { outline: 1px dashed #7b4ab5; }
.caret { color: var(--sub); font-weight: bold; }
.caret.accidental { color: var(--acc); }
.hide-acc del.accidental, .hide-acc ins.accidental { background: none; text-decoration: none; }
.hide-acc .caret.accidental, .hide-acc .strip .accidental { display: none; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-family: system-ui, sans-serif; font-size: 0.9rem; }
th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; }
th button { font: inherit; font-weight: bold; border: 1px solid #bbb; border-radius: 3px; background: #f7f7f7; cursor: pointer; }
table.kwic td.left { text-align: right; }
table.kwic td.hit { text-align: center; white-space: nowrap; }
mark { background: #ffe58a; }
table.freq td { text-align: right; }
table.freq td:nth-child(2) { text-align: left; }
.plot svg { max-width: 100%; height: auto; }
@media (max-width: 700px) {
  .pair { grid-template-columns: 1fr; gap: 0.3rem; }
  .pair .wit { border-left: 3px solid #ddd; padding-left: 0.5rem; }
  body { font-size: 15px; }
}
@media print {
  nav, .controls, th button { display: none; }
  .witness.hidden { display: block; }
  .pair { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
</style>
</head>
<body>
"#;

const SCRIPT: &str = r#"<script>
(function () {
  var select = document.getElementById('witness');
  function show() {
    var all = document.querySelectorAll('.witness');
    for (var i = 0; i < all.length; i++) {
      all[i].classList.toggle('hidden', all[i].getAttribute('data-witness') !== select.value);
    }
  }
  select.addEventListener('change', show);
  show();
  document.getElementById('hide-acc').addEventListener('change', function (e) {
    document.body.classList.toggle('hide-acc', e.target.checked);
  });
  var buttons = document.querySelectorAll('table.kwic th button');
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener('click', function (e) {
      var key = e.target.getAttribute('data-sort');
      var body = document.querySelector('table.kwic tbody');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (x, y) {
        var px = +x.getAttribute('data-pos'), py = +y.getAttribute('data-pos');
        if (key === 'pos') return px - py;
        var a = x.getAttribute('data-' + key), c = y.getAttribute('data-' + key);
        return a < c ? -1 : a > c ? 1 : px - py;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }
})();
</script>
"#;
