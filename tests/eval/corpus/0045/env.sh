#!/usr/bin/env bash
set -euo pipefail
export NPM_AUTH_TOKEN='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'
./bin/deploy "$@"
