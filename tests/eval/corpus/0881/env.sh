#!/usr/bin/env bash
set -euo pipefail
export API_KEY_HEADER='X-Api-Key'
./bin/deploy "$@"
