#!/usr/bin/env bash
set -euo pipefail
export WEBHOOK_SECRET='izfWfLpYjK6_tmXh8pCYLBfQSI8yWFmM--iNFOpkWAwhJx'
./bin/deploy "$@"
