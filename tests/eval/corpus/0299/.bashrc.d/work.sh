#!/usr/bin/env bash
set -euo pipefail
export DOCKER_HUB_TOKEN='dckr_pat_UZ3MGjaaMUXyFz6lVNMY1PWD3rU'
./bin/deploy "$@"
