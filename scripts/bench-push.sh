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

# A fast-import stream of $1 commits on refs/heads/main. Tokens from rules/github.toml's own examples.
gen() {
    awk -v n="$1" 'BEGIN {
        srand(42); files = 300; lines = 60; mark = 0; pf = ""
        tok[1] = "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"
        tok[2] = "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"
        tok[3] = "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"
        for (f = 0; f < files; f++) { len[f] = lines; for (l = 1; l <= lines; l++) body[f, l] = word() }
        for (c = 1; c <= n; c++) {
            printf "commit refs/heads/main\nmark :%d\n", c
            printf "author Bench <bench@example.test> %d +0000\n", 1700000000 + c * 60
            printf "committer Bench <bench@example.test> %d +0000\n", 1700000000 + c * 60
            msg = "change " c
            printf "data %d\n%s\n", length(msg), msg
            if (c > 1) printf "from :%d\n", c - 1
            if (c == 1) { for (f = 0; f < files; f++) emit(f) ; continue }
            for (k = 0; k < 3; k++) {
                # Three secrets, each added once and removed again three commits later.
                if (k == 0 && pf != "" && c == pc + 3) {
                    f = pf; body[f, pl] = word(); pf = ""; emit(f); continue
                }
                f = int(rand() * files)
                for (r = 0; r < 5; r++) body[f, 1 + int(rand() * len[f])] = word()
                body[f, ++len[f]] = word(); body[f, ++len[f]] = word()
                if (k == 0 && (c == int(n / 4) || c == int(n / 2) || c == int(3 * n / 4))) {
                    body[f, len[f]] = "GITHUB_TOKEN=" tok[++mark]; pf = f; pl = len[f]; pc = c
                }
                emit(f)
            }
        }
    }
    function word(   s, i, w) {
        s = ""; w = 3 + int(rand() * 8)
        for (i = 0; i < w; i++) s = s sprintf("%c", 97 + int(rand() * 26)) (i % 3 == 2 ? " " : "")
        return "let v" int(rand() * 1000) " = \"" s "\";"
    }
    function emit(f,   l, s) {
        s = ""
        for (l = 1; l <= len[f]; l++) s = s body[f, l] "\n"
        printf "M 100644 inline src/m%d/f%d.rs\ndata %d\n%s\n", f % 30, f, length(s), s
    }'
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
