#!/usr/bin/env bash
set -euo pipefail
export PASSWORD_PLACEHOLDER='Password (12+ characters)'
./bin/deploy "$@"
