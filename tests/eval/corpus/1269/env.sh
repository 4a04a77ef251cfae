#!/usr/bin/env bash
set -euo pipefail
export PLAID_SECRET='42b0c0d9da7b8c794c5ba517e72f5a'
./bin/deploy "$@"
