#!/bin/sh
# Writes a synthetic git history as a `git fast-import` stream on stdout: 300 files of short Rust-like
# lines; every commit rewrites 5 lines and appends 2 in each of 3 files; three fake GitHub tokens (from
# rules/github.toml's own examples) are each added once and removed again three commits later.
#
#   scripts/gen-history.sh COMMITS | git -C REPO fast-import --quiet
#
# Deterministic (fixed seed), so every machine builds the same repository. Used by bench-push.sh and
# bench-speed.sh.
set -eu
awk -v n="${1:?usage: gen-history.sh COMMITS}" 'BEGIN {
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
