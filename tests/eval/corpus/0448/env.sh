#!/usr/bin/env bash
set -euo pipefail
export ADMIN_PASS='Ember+Willow5214'
./bin/deploy "$@"
