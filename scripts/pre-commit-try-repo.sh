#!/bin/sh
# Runs this repository's .pre-commit-hooks.yaml through the real pre-commit framework: installs
# pre-commit in a throwaway virtualenv, then `pre-commit try-repo` against a temporary repository
# with (1) a staged fake token: the hook must fail and name the rule without printing the token;
# (2) a clean staged change with --all-files: the hook must pass. Exit 0 only if both hold.
set -eu

repo_root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cargo and rustup keep their toolchains and caches under the real HOME: pin them before moving it.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
# Isolate Git and pre-commit from the machine's own config and caches.
export HOME="$work/home"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.test
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.test
export COACH_STATE_DIR="$work/state"
export NO_COLOR=1
export PRE_COMMIT_HOME="$work/pre-commit-home"
# pre-commit builds coach with `cargo install`; reuse one target folder so reruns are incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo_root/target/pre-commit}"
mkdir -p "$HOME"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
pre_commit="$work/venv/bin/pre-commit"
"$pre_commit" --version

target="$work/target-repo"
git init -q -b main "$target"
cd "$target"
echo "# demo" > README.md
git add README.md
git commit -q -m init

# A fake GitHub token with a valid checksum (one of rules/github.toml's examples), split so this
# script itself is not a finding.
fake="ghp_t2CKK4ChUtegrVJdyEVGR""w0doZ6jm93pFLsO"
printf 'export GITHUB_TOKEN=%s\n' "$fake" > deploy.sh
git add deploy.sh

status=0
"$pre_commit" try-repo "$repo_root" coach --verbose > "$work/out1.txt" 2>&1 || status=$?
if [ "$status" -eq 0 ]; then
  cat "$work/out1.txt"
  echo "FAIL: pre-commit try-repo passed with a staged token" >&2
  exit 1
fi
if grep -q 'An error has occurred' "$work/out1.txt" || ! grep -q 'github.pat-classic' "$work/out1.txt"; then
  cat "$work/out1.txt"
  echo "FAIL: the hook output does not name the rule" >&2
  exit 1
fi
if grep -q "$fake" "$work/out1.txt"; then
  echo "FAIL: the hook printed the full token" >&2
  exit 1
fi
echo "ok: a staged token fails the hook (exit $status) and is named, redacted"

git rm -q --cached deploy.sh
rm deploy.sh
echo "print('hello')" > app.py
git add app.py
if ! "$pre_commit" try-repo "$repo_root" coach --all-files --verbose > "$work/out2.txt" 2>&1; then
  cat "$work/out2.txt"
  echo "FAIL: pre-commit try-repo failed on a clean change" >&2
  exit 1
fi
grep -q 'verdict: ALLOW' "$work/out2.txt" || {
  cat "$work/out2.txt"
  echo "FAIL: the clean run did not report its verdict" >&2
  exit 1
}
echo "ok: a clean change passes with --all-files"
