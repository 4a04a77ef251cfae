#!/usr/bin/env bash
set -euo pipefail
export NPM_TOKEN='npm_qa0H7sAsshWau1K117ZHH44wpkyf9r3vf1XA'
./bin/deploy "$@"
