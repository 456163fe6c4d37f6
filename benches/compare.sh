#!/usr/bin/env bash
# lectio side by side with the tools a user would reach for, on the same generated files,
# in one run: median wall time over several runs, peak memory, and the ratios.
#
#   benches/compare.sh            # about 15 minutes on 2 cores
#   RUNS=10 benches/compare.sh    # more runs per measurement (default 5)
#   BIG=0 benches/compare.sh      # skip the 1 GB checks (memory, threads): about 10 minutes
#   DIFFLIB_LIMIT=600 ...         # let Python's difflib run longer (default: stop at 120 s)
#
# Needs only a Rust toolchain (it builds lectio, a plain Rust word counter as a baseline
# (benches/plaincount.rs) and the corpus generator, and generates every file; nothing is
# downloaded). Peers that are not installed are reported as skipped:
# hyperfine (timings; else a bash loop), GNU time (peak memory), ripgrep, python3, wdiff.
# On Debian: apt-get install -y hyperfine ripgrep wdiff time
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
BIG=${BIG:-1}
OUT=target/compare
mkdir -p "$OUT"
# Cargo's target directory (CARGO_TARGET_DIR or the config may move it from ./target).
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
LECTIO=${TARGET_DIR:-target}/release/lectio
GEN=$OUT/gencorpus

have() { command -v "$1" >/dev/null 2>&1; }

# The clock in microseconds, read by bash itself (5.0 and later): reading it with
# $(date +%s%N) forks and runs a program, which added about 1.2 ms to each timed run here,
# 8% of a 15 ms one. Older shells fall back to date (GNU date: BSD's has no %N).
if [[ -n ${EPOCHREALTIME:-} ]]; then
  usecs() { printf -v "$1" '%s' "${EPOCHREALTIME//[!0-9]/}"; }
else
  usecs() { printf -v "$1" '%s' "$(( $(date +%s%N) / 1000 ))"; }
fi

echo "== building lectio and the plain Rust counter (release), and the corpus generator"
# Two builds: built together, the example's dev-dependencies would change the features
# of lectio's own dependencies, and the binary timed would not be the one users build.
cargo build --release --quiet --bin lectio
cargo build --release --quiet --example plaincount
PLAIN=${TARGET_DIR:-target}/release/examples/plaincount
if [[ ! -x $GEN || benches/gencorpus.rs -nt $GEN || benches/corpus.rs -nt $GEN ]]; then
  rustc --edition 2021 -O benches/gencorpus.rs -o "$GEN"
fi

# Generated files are kept between runs; the generator is deterministic.
make_file() { # PATH COMMAND...
  local path=$1; shift
  if [[ ! -s $path || $GEN -nt $path ]]; then
    "$@"
  fi
}
echo "== generating the files (deterministic; kept in $OUT)"
make_file "$OUT/corpus.txt" "$GEN" corpus 50M "$OUT/corpus.txt"
make_file "$OUT/files/part-0063.txt" "$GEN" files 50M 64 "$OUT/files"
make_file "$OUT/base.txt" "$GEN" essay 50 "$OUT/base.txt"
make_file "$OUT/witness.txt" "$GEN" witness 50 "$OUT/witness.txt"
RARE=$("$GEN" word 100000)
corpus_mb=$(( $(stat -c %s "$OUT/corpus.txt") / 1000000 ))
echo "corpus.txt: ${corpus_mb} MB, 300,000 word types (Zipf); files/: 64 files of 0.8 MB;"
echo "base.txt: the essay x50 ($(wc -w < "$OUT/base.txt") words), witness.txt: ~1% of its words changed"
echo "rare word for kwic: \"$RARE\""

cat > "$OUT/counter.py" <<'EOF'
# Word frequencies with collections.Counter over a regex tokenizer.
import collections, re, sys
with open(sys.argv[1], encoding="utf-8") as f:
    counts = collections.Counter(re.findall(r"\w+", f.read().lower()))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.writelines(f"{w},{n}\n" for w, n in counts.most_common())
EOF
cat > "$OUT/difflib_words.py" <<'EOF'
# Word-level diff with difflib.SequenceMatcher, as wdiff does it.
import difflib, sys
a = open(sys.argv[1], encoding="utf-8").read().split()
b = open(sys.argv[2], encoding="utf-8").read().split()
ops = [op for op in difflib.SequenceMatcher(None, a, b).get_opcodes() if op[0] != "equal"]
print(len(ops), "differences")
EOF

# Results: name -> median seconds, peak RSS in MB.
declare -A TIME RSS

# measure NAME COMMAND...  (a shell command line; run through bash -c)
measure() {
  local name=$1; shift
  local cmd=$*
  local median rss
  if have hyperfine; then
    hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$OUT/h.json" \
      --shell=bash "$cmd" >/dev/null 2>&1 || { echo "  $name: FAILED ($cmd)"; return; }
    median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$OUT/h.json")
  else
    local times=()
    bash -c "$cmd" >/dev/null 2>&1 || { echo "  $name: FAILED ($cmd)"; return; }
    for _ in $(seq "$RUNS"); do
      local t0 t1
      usecs t0
      bash -c "$cmd" >/dev/null 2>&1 || true
      usecs t1
      times+=("$(( t1 - t0 ))")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.6f", m/1e6}')
  fi
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M -o "$OUT/rss" bash -c "$cmd" >/dev/null 2>&1 || true
    rss=$(( $(tail -1 "$OUT/rss") / 1024 ))
  else
    rss="?"
  fi
  TIME[$name]=$median
  RSS[$name]=$rss
  printf '  %-34s %9.3f s %7s MB\n' "$name" "$median" "$rss"
}

# measure_once NAME LIMIT COMMAND...: one run, stopped after LIMIT seconds (the time is
# then a lower bound, marked ">").
declare -A OVER
measure_once() {
  local name=$1 limit=$2; shift 2
  local t0 t1 code=0
  usecs t0
  timeout "$limit" bash -c "$*" >/dev/null 2>&1 || code=$?
  usecs t1
  TIME[$name]=$(awk -v n="$(( t1 - t0 ))" 'BEGIN {printf "%.6f", n / 1e6}')
  if [[ $code == 124 ]]; then
    OVER[$name]=">"
    printf '  %-34s >%8.0f s (stopped after %s s; one run)\n' "$name" "${TIME[$name]}" "$limit"
  else
    printf '  %-34s %9.3f s (one run)\n' "$name" "${TIME[$name]}"
  fi
}

# measure_pair NAME1 NAME2 COMMAND1 COMMAND2: the two commands run alternately, 4 x RUNS
# times each (PAIR_RUNS times if set) after a warm-up, and each gets its median. This
# machine's speed drifts by tens of percent over minutes (a shared virtual machine);
# alternating puts the drift on both sides of a ratio instead of on one. The commands are
# run directly (no shell), so they must be plain words.
measure_pair() {
  local a=$1 b=$2 ca=$3 cb=$4 ta=() tb=() t0 t1 t2
  $ca >/dev/null 2>&1 || { echo "  $a: FAILED ($ca)"; return; }
  $cb >/dev/null 2>&1 || { echo "  $b: FAILED ($cb)"; return; }
  for _ in $(seq "${PAIR_RUNS:-$((RUNS * 4))}"); do
    usecs t0; $ca >/dev/null 2>&1; usecs t1; $cb >/dev/null 2>&1; usecs t2
    ta+=("$(( t1 - t0 ))"); tb+=("$(( t2 - t1 ))")
  done
  local med='{a[NR]=$1} END {n=NR; m=(n%2) ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2; printf "%.6f", m/1e6}'
  TIME[$a]=$(printf '%s\n' "${ta[@]}" | sort -n | awk "$med")
  TIME[$b]=$(printf '%s\n' "${tb[@]}" | sort -n | awk "$med")
  printf '  %-34s %9.3f s   (alternating with the next)\n' "$a" "${TIME[$a]}"
  printf '  %-34s %9.3f s\n' "$b" "${TIME[$b]}"
}

skip() { printf '  %-34s skipped (%s not installed)\n' "$1" "$2"; }

# ratio SLOWER FASTER: how many times FASTER is faster than SLOWER.
ratio() {
  if [[ -n ${TIME[$1]:-} && -n ${TIME[$2]:-} ]]; then
    awk -v a="${TIME[$1]}" -v b="${TIME[$2]}" 'BEGIN {printf "%.2f", a / b}'
  else
    echo "n/a"
  fi
}

report() { # LABEL SLOWER FASTER TARGET
  local r
  r=$(ratio "$2" "$3")
  [[ $r == n/a ]] || r="${r}x"
  printf '  %-58s %1s%7s   (target %s)\n' "$1" "${OVER[$2]:-}" "$r" "$4"
}

echo
echo "== timings: median of $RUNS runs (after a warm-up run), peak RSS of one more run"
echo "   threads: $(nproc) cores; lectio uses all of them unless --threads says otherwise"
echo "-- freq on $corpus_mb MB"
rm -f "$OUT/py-freq.csv" "$OUT/plain-freq.csv"
measure "lectio freq" "$LECTIO freq $OUT/corpus.txt -o $OUT/lectio-freq.csv"
if have python3; then
  measure "python Counter" "python3 $OUT/counter.py $OUT/corpus.txt $OUT/py-freq.csv"
else skip "python Counter" python3; fi
measure "tr | sort | uniq -c" "tr -cs A-Za-z '\n' < $OUT/corpus.txt | tr A-Z a-z | sort | uniq -c > $OUT/tr-freq.txt"
measure "plain Rust counter" "$PLAIN $OUT/corpus.txt $OUT/plain-freq.csv"
if [[ -s $OUT/py-freq.csv && -s $OUT/plain-freq.csv ]]; then
  # The same job as the Python Counter: the same lines (ties may come in another order).
  if cmp -s <(LC_ALL=C sort "$OUT/py-freq.csv") <(LC_ALL=C sort "$OUT/plain-freq.csv"); then
    echo "  the plain Rust counter's words and counts are the Python Counter's"
  else
    echo "  the plain Rust counter's words and counts DIFFER from the Python Counter's"
  fi
fi

echo "-- kwic of a rare word on $corpus_mb MB"
rm -f "$OUT/lectio-kwic.csv"
measure "lectio kwic" "$LECTIO kwic $RARE $OUT/corpus.txt -o $OUT/lectio-kwic.csv"
if have rg; then
  measure "rg -c -w -i" "rg -c -w -i $RARE $OUT/corpus.txt"
else skip "rg -c -w -i" ripgrep; fi
if [[ -s $OUT/lectio-kwic.csv ]]; then
  hits=$(($(wc -l < "$OUT/lectio-kwic.csv") - 1))
  echo "  lectio finds $hits hits (every one, several on a line too; rg -c counts lines)"
fi

echo "-- kwic of the rare word over 10,000 files of 5 KB (a corpus of many short texts)"
make_file "$OUT/many/part-9999.txt" "$GEN" files 50M 10000 "$OUT/many"
rm -f "$OUT/lectio-kwic-many.csv"
measure "lectio kwic, 10,000 files" "$LECTIO kwic $RARE -r $OUT/many -o $OUT/lectio-kwic-many.csv"
if have rg; then
  measure "rg -c -w -i, 10,000 files" "rg -c -w -i $RARE $OUT/many"
else skip "rg -c -w -i, 10,000 files" ripgrep; fi

echo "-- diff of two 300k-word witnesses"
if "$LECTIO" diff --help >/dev/null 2>&1; then
  measure "lectio diff" "$LECTIO diff $OUT/base.txt $OUT/witness.txt --format csv -o $OUT/lectio-diff.csv"
else skip "lectio diff" "lectio diff"; fi
if have wdiff; then
  measure "wdiff" "wdiff -s $OUT/base.txt $OUT/witness.txt > $OUT/wdiff.txt; true"
else skip "wdiff" wdiff; fi
if have python3; then
  # difflib is quadratic here: about 7 minutes on 2 cores, so one run with a time limit.
  measure_once "python difflib" "${DIFFLIB_LIMIT:-120}" \
    "python3 $OUT/difflib_words.py $OUT/base.txt $OUT/witness.txt"
else skip "python difflib" python3; fi

echo "-- threads: 1 against 2 (runs alternating, median of $((RUNS * 4)) each)"
pair() { # LABEL ARGS (an @ in them becomes the thread count)
  local label=$1 args=$2
  measure_pair "$label, 1 thread(s)" "$label, 2 thread(s)" \
    "$LECTIO --threads 1 ${args//@/1}" "$LECTIO --threads 2 ${args//@/2}"
}
pair "freq 1 file" "freq $OUT/corpus.txt -o $OUT/freq-@.csv"
pair "freq 64 files" "freq -r $OUT/files -o $OUT/freq-files-@.csv"
pair "kwic 1 file" "kwic $RARE $OUT/corpus.txt -o $OUT/kwic-@.csv"
pair "kwic 64 files" "kwic $RARE -r $OUT/files -o $OUT/kwic-files-@.csv"
same_output() { # NAME...: compares $OUT/NAME-1.csv with $OUT/NAME-2.csv
  for f in "$@"; do
    if cmp -s "$OUT/$f-1.csv" "$OUT/$f-2.csv"; then
      echo "  $f: same output with 1 and 2 threads"
    else
      echo "  $f: OUTPUT DIFFERS between 1 and 2 threads"
    fi
  done
}
same_output freq freq-files kwic kwic-files

if [[ $BIG != 0 ]]; then
  echo "-- memory: freq and kwic on 1 GB"
  make_file "$OUT/corpus-1g.txt" "$GEN" corpus 1G "$OUT/corpus-1g.txt"
  RUNS_SAVED=$RUNS; RUNS=1
  measure "lectio freq 1 GB" "$LECTIO freq $OUT/corpus-1g.txt -o $OUT/freq-1g.csv"
  measure "lectio kwic 1 GB" "$LECTIO kwic $RARE $OUT/corpus-1g.txt -o $OUT/kwic-1g.csv"
  RUNS=$RUNS_SAVED
  echo "-- threads on 1 GB: 1 against 2 (runs alternating, median of $RUNS each)"
  PAIR_RUNS=$RUNS pair "freq 1 GB" "freq $OUT/corpus-1g.txt -o $OUT/freq-1g-@.csv"
  PAIR_RUNS=$RUNS pair "kwic 1 GB" "kwic $RARE $OUT/corpus-1g.txt -o $OUT/kwic-1g-@.csv"
  same_output freq-1g kwic-1g
fi

echo
echo "== ratios (how many times faster lectio is; for threads, 2 against 1)"
report "freq $corpus_mb MB: python Counter / lectio" "python Counter" "lectio freq" ">= 30"
report "freq $corpus_mb MB: tr|sort|uniq / lectio" "tr | sort | uniq -c" "lectio freq" ">= 5"
report "freq $corpus_mb MB: plain Rust counter / lectio" "plain Rust counter" "lectio freq" "-"
report "kwic $corpus_mb MB: rg -c -w -i / lectio (below 1: slower than rg)" "rg -c -w -i" "lectio kwic" ">= 0.33"
report "kwic over 10,000 files: rg -c -w -i / lectio" "rg -c -w -i, 10,000 files" "lectio kwic, 10,000 files" "-"
report "diff: wdiff / lectio" "wdiff" "lectio diff" ">= 1"
report "diff: python difflib / lectio" "python difflib" "lectio diff" "-"
report "freq, 1 file: 1 thread / 2 threads" "freq 1 file, 1 thread(s)" "freq 1 file, 2 thread(s)" ">= 1.7"
report "freq, 64 files: 1 thread / 2 threads" "freq 64 files, 1 thread(s)" "freq 64 files, 2 thread(s)" ">= 1.7"
report "kwic, 1 file: 1 thread / 2 threads" "kwic 1 file, 1 thread(s)" "kwic 1 file, 2 thread(s)" ">= 1.7"
report "kwic, 64 files: 1 thread / 2 threads" "kwic 64 files, 1 thread(s)" "kwic 64 files, 2 thread(s)" ">= 1.7"
if [[ $BIG != 0 ]]; then
  report "freq, 1 GB: 1 thread / 2 threads" "freq 1 GB, 1 thread(s)" "freq 1 GB, 2 thread(s)" ">= 1.7"
  report "kwic, 1 GB: 1 thread / 2 threads" "kwic 1 GB, 1 thread(s)" "kwic 1 GB, 2 thread(s)" ">= 1.7"
  printf '  %-58s %6s MB  (target < 400)\n' "freq 1 GB: peak RSS" "${RSS[lectio freq 1 GB]:-?}"
  printf '  %-58s %6s MB\n' "kwic 1 GB: peak RSS" "${RSS[lectio kwic 1 GB]:-?}"
fi
