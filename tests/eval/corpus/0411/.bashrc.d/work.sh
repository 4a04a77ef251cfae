#!/usr/bin/env bash
set -euo pipefail
export ADMIN_PASS='FEz8sG$@evwbA*'
./bin/deploy "$@"
