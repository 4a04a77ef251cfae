#!/usr/bin/env bash
set -euo pipefail
export GOOGLE_CLIENT_SECRET='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'
./bin/deploy "$@"
