#!/bin/sh
# Generates a repository with N commits (default 50000) with `git fast-import`, for measuring what a
# first push of a long history costs coach's pre-push hook (#16). Each commit changes one of 200
# small source files (a few added lines), like ordinary work. Usage: gen-long-history.sh DIR [N]
set -eu
dir=$1
n=${2:-50000}
git init -q -b main "$dir"
cd "$dir"
awk -v n="$n" 'BEGIN {
  for (i = 1; i <= n; i++) {
    f = sprintf("src/mod%03d.py", i % 200)
    body = sprintf("def f%d(x):\n    return x * %d + len(\"%s\")\n\n", i, i, f)
    print "commit refs/heads/main"
    print "mark :" i
    printf "committer Gen <gen@example.test> %d +0000\n", 1600000000 + i * 60
    msg = sprintf("change %d", i)
    print "data " length(msg)
    print msg
    if (i > 1) print "from :" (i - 1)
    # Each file grows by appending: the whole content is rewritten per commit.
    content[f] = content[f] body
    print "M 100644 inline " f
    print "data " length(content[f])
    printf "%s\n", content[f]
  }
}' | git fast-import --quiet
git reset -q --hard main
