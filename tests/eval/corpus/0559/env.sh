#!/usr/bin/env bash
set -euo pipefail
export API_KEY='BliP4P3G-J-pnRn1MOHcUhgHImwhWt5scdmu_-'
./bin/deploy "$@"
