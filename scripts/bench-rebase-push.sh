#!/bin/bash
# Issue #15: the pre-push hook after a rebase. N commits made through coach's pre-commit hook
# (each edits one line of one of 20 files), main moves on, the branch is rebased onto it, and the
# pre-push hook checks the replayed commits (new trees: recognised by their patch ids).
# Usage: scripts/bench-rebase-push.sh COACH N    (prints ms per commit and the pre-push time)
set -eu
C=$1; n=$2; d=$(mktemp -d); cd $d; git init -q --bare remote.git; git init -q -b main w; cd w
git config user.email a@b.c; git config user.name A; export COACH_STATE_DIR=$d/state
for i in $(seq 20); do python3 -c "print('\n'.join(f'line {j} of file $i' for j in range(800)))" > f$i.txt; done
git add -A; git commit -qm base; git remote add origin $d/remote.git; git push -q origin main
mkdir -p .git/hooks; printf '#!/bin/sh\nexec %s hook pre-commit\n' "$C" > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
git checkout -q -b feat
s=$(date +%s%N)
for i in $(seq $n); do f=f$(( (i % 20) + 1 )).txt; sed -i "$((i*7 % 700 + 1))s/\$/ edited $i/" $f; git add $f; git commit -qm "c$i" 2>/dev/null; done
e=$(date +%s%N); echo "commits: $(( (e-s)/1000000/n )) ms each (incl. git)"
git checkout -q main; echo moved > m.txt; git add m.txt; git commit -q --no-verify -m moved; git push -q origin main; git checkout -q feat
git rebase -q main
range=$(git rev-parse feat); echo "refs/heads/feat $range refs/heads/feat 0000000000000000000000000000000000000000" > $d/pp.in
/usr/bin/time -f "pre-push: %e s %M KB" $C hook pre-push origin $d/remote.git < $d/pp.in 2>&1 >/dev/null | grep -E "pre-push:|unchecked commit" | tail -3
cd /; rm -rf $d
