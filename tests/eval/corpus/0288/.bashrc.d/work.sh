#!/usr/bin/env bash
set -euo pipefail
export HUBSPOT_ACCESS_TOKEN='pat-na1-37b7713b-6181-3619-7aca-171e816d44a4'
./bin/deploy "$@"
