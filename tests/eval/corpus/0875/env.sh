#!/usr/bin/env bash
set -euo pipefail
export TOKEN_TYPE='Bearer'
./bin/deploy "$@"
