#!/usr/bin/env bash
set -euo pipefail
export APIKEY='JMVkVUF5cGyptZsf64xEW_b68LDa'
./bin/deploy "$@"
