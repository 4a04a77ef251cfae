#!/usr/bin/env bash
set -euo pipefail
export SLACK_APP_TOKEN='xapp-1-AL42TLI483F-3425159882185-0b356d5c6862524801fbbe44f0f59605f37e43c2c07f245c45bc706720114e0f'
./bin/deploy "$@"
