#!/bin/sh
# Shows coach's main job in a throw-away repository: a developer stages a config file holding an AWS
# key pair and a GitHub token, `git commit` runs coach's pre-commit hook, and the commit is blocked
# with coaching for each credential kind. Nothing outside the temporary folder is touched.
#
# Usage: examples/demo.sh [path/to/coach]
# The credentials below are fake: shaped like real ones (the GitHub token even carries a valid
# checksum, computed for this demo) but never issued by anyone.
set -eu
coach=${1:-coach}
if ! command -v "$coach" >/dev/null 2>&1; then
    echo "demo: coach binary not found ($coach); run ./install.sh first or pass its path" >&2
    exit 2
fi
coach=$(command -v "$coach")
demo=$(mktemp -d "${TMPDIR:-/tmp}/coach-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
# Isolated from the user's own Git and coach state.
export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 COACH_STATE_DIR="$demo/state"
mkdir -p "$HOME"
cd "$demo"
git init -q -b main app
cd app
git config user.name "Demo Developer"
git config user.email "dev@demo.test"
"$coach" install >/dev/null 2>&1
mkdir -p deploy
# Split in two so this script is not itself a finding when coach scans its own repository.
key_id="AKIAQ3EGRT""LBX2Z7WN4K"
secret_key="q8Zr2LmW0xYt5Nv7Kp3H""s9Dj1Fb6Gc4Ae2Tu+Wx1"
gh_token="ghp_Dm7oQk3Rz8Wn2Lp5X""c9Vb4Ht6Jy1Fg4SaCS3"
cat > deploy/prod.env <<ENV
# production settings for the billing worker
AWS_ACCESS_KEY_ID=$key_id
AWS_SECRET_ACCESS_KEY=$secret_key
GITHUB_TOKEN=$gh_token
ENV
git add deploy/prod.env
echo "demo: \$ git add deploy/prod.env && git commit -m 'configure billing worker'"
echo
if git commit -q -m "configure billing worker"; then
    echo "demo: unexpected: the commit went through" >&2
    exit 2
fi
echo
echo "demo: the commit was blocked (exit 1) and nothing was written to history; this is the hook working."
echo
echo "demo: \$ coach scan --format sarif | head    # the same finding for GitHub code scanning"
"$coach" scan --format sarif | head -n 12 || true
