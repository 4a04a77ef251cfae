#!/usr/bin/env bash
set -euo pipefail
export AWS_ACCESS_KEY_ID='ABIASEBI34YGZNEWN32G'
./bin/deploy "$@"
