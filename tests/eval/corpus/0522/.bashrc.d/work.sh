#!/usr/bin/env bash
set -euo pipefail
export SERVICE_TOKEN='JiWptgqAih0DHPZcrQLeoADEwjv'
./bin/deploy "$@"
