#!/usr/bin/env bash
set -euo pipefail
export MYSQL_ROOT_PASSWORD='5i7IEmgKY#3'
./bin/deploy "$@"
