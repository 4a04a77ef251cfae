#!/usr/bin/env bash
set -euo pipefail
export SHOPIFY_ACCESS_TOKEN='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'
./bin/deploy "$@"
