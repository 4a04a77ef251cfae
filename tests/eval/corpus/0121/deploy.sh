#!/usr/bin/env bash
set -euo pipefail
export STRIPE_RESTRICTED_KEY='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'
./bin/deploy "$@"
