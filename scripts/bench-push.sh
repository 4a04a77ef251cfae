#!/bin/sh
# Benchmarks the pre-push hook and history scans on generated repositories (issue #4).
#
#   scripts/bench-push.sh [COMMITS_HISTORY] [COMMITS_PUSH]     (defaults: 5000 and 100)
#
# Builds coach in release mode, generates two synthetic repositories with `git fast-import`
# (300 files; every commit rewrites 5 lines and appends 2 in each of 3 files; three fake GitHub tokens
# buried in the history), then times with hyperfine:
#   1. `coach hook pre-push` fed the real stdin line Git would send for a push of COMMITS_PUSH commits;
#   2. `coach scan --history` over COMMITS_HISTORY commits, against `git log -p --all` on the same repo
#      (the cost of merely producing every commit's patch, which any history scanner pays);
#   3. the pre-push hook when the whole history goes to an empty remote (bounded by max-commits).
# Needs git, awk and hyperfine (apt-get install -y hyperfine). Results go to stdout and, as markdown,
# to $OUT (default target/bench-push).
set -eu

N_HIST=${1:-5000}
N_PUSH=${2:-100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/target/bench-push}
COACH=$ROOT/target/release/coach

command -v hyperfine >/dev/null || { echo "bench-push: hyperfine is required (apt-get install -y hyperfine)" >&2; exit 2; }
(cd "$ROOT" && cargo build --release --quiet)

rm -rf "$OUT"
mkdir -p "$OUT"
# Isolation: no user config or global git config, coach state inside $OUT.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$OUT/home" COACH_STATE_DIR="$OUT/state" NO_COLOR=1
mkdir -p "$HOME"

# A fast-import stream of $1 commits on refs/heads/main (scripts/gen-history.sh: the same
# deterministic history bench-speed.py uses).
gen() {
    sh "$ROOT/scripts/gen-history.sh" "$1"
}

mkrepo() { # dir commits
    git init -q -b main "$1"
    gen "$2" | git -C "$1" fast-import --quiet
    git -C "$1" reset -q --hard main
}

echo "bench-push: generating a $N_HIST-commit history and a $N_PUSH-commit push..." >&2
mkrepo "$OUT/history" "$N_HIST"
git init -q --bare -b main "$OUT/empty.git"
git -C "$OUT/history" remote add origin "$OUT/empty.git"

# The push repository: the remote already has all but the last N_PUSH commits.
mkrepo "$OUT/push" $((200 + N_PUSH))
git -C "$OUT/push" remote add origin "$OUT/push-remote.git"
old=$(git -C "$OUT/push" rev-parse "main~$N_PUSH")
new=$(git -C "$OUT/push" rev-parse main)
git -C "$OUT/push" update-ref refs/remotes/origin/main "$old"
printf 'refs/heads/main %s refs/heads/main %s\n' "$new" "$old" >"$OUT/push.stdin"
printf 'refs/heads/main %s refs/heads/main %s\n' "$(git -C "$OUT/history" rev-parse main)" \
    0000000000000000000000000000000000000000 >"$OUT/new-branch.stdin"

echo "== machine: $(nproc) cores, $(uname -sr); coach $("$COACH" --version)" | tee "$OUT/results.md"
echo "== sanity: what each command finds" | tee -a "$OUT/results.md"
(cd "$OUT/push" && "$COACH" hook pre-push origin "$OUT/push-remote.git" <"$OUT/push.stdin" 2>&1 | tail -1) | tee -a "$OUT/results.md"
(cd "$OUT/history" && "$COACH" scan --history | tail -1) | tee -a "$OUT/results.md"

cd "$OUT/push"
hyperfine -N -i --warmup 2 --runs 20 --export-markdown "$OUT/prepush.md" \
    -n "coach hook pre-push ($N_PUSH commits)" \
    "sh -c '\"$COACH\" hook pre-push origin x <\"$OUT/push.stdin\" 2>/dev/null'" \
    -n "git log -p ($N_PUSH commits)" \
    "sh -c 'git log -p $old..$new >/dev/null'"
cd "$OUT/history"
hyperfine -N -i --warmup 1 --runs 5 --export-markdown "$OUT/history.md" \
    -n "coach scan --history ($N_HIST commits)" \
    "sh -c '\"$COACH\" scan --history >/dev/null'" \
    -n "git log -p --all ($N_HIST commits)" \
    "sh -c 'git log -p --all >/dev/null'" \
    -n "coach hook pre-push, new branch to an empty remote (max-commits 1000)" \
    "sh -c '\"$COACH\" hook pre-push origin x <\"$OUT/new-branch.stdin\" 2>/dev/null'"
cat "$OUT/prepush.md" "$OUT/history.md" >>"$OUT/results.md"
echo "bench-push: results in $OUT/results.md" >&2
