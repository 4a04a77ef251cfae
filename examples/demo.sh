#!/bin/sh
# A throwaway repository that shows coach blocking a commit and coaching the fix, then the same
# secret allowed inline with a reason, then a baseline. Needs `coach` on PATH (./install.sh).
set -eu
demo=$(mktemp -d)
echo "demo repository: $demo"
cd "$demo"
git init -q -b main
git config user.name "Demo" && git config user.email demo@example.test
coach install

# A fake GitHub token with a valid checksum (from rules/github.toml's examples), split so this
# script is not itself a finding.
fake="ghp_t2CKK4ChUtegrVJdyEVGR""w0doZ6jm93pFLsO"
printf 'deploy:\n  token: %s\n' "$fake" > config.yml
git add config.yml
echo; echo "\$ git commit -m 'add deploy config'   # blocked, with coaching"
git commit -m "add deploy config" || echo "(commit refused, exit $?)"

echo; echo "\$ coach scan --format sarif | head   # the same finding for code scanning"
coach scan --format sarif | head -n 12 || true

printf 'deploy:\n  # coach:allow github.pat-classic -- revoked fixture for the parser tests\n  token: %s\n' "$fake" > config.yml
git add config.yml
echo; echo "\$ git commit -m 'fixture'   # allowed inline, with a reason, still reported"
git commit -q -m "fixture"

echo; echo "\$ coach baseline create   # adopt coach in an old repository"
printf 'T=%s\n' "$fake" > legacy.env
coach baseline create
cat .coach-baseline.toml
