#!/usr/bin/env bash
set -euo pipefail
export GITHUB_PAT='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'
./bin/deploy "$@"
