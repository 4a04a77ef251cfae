#!/usr/bin/env bash
set -euo pipefail
export PLANETSCALE_PASSWORD='pscale_pw_XCm2MV1mcHuYkb7JdH6LlkefivKCupV9SQUsDxXg_He'
./bin/deploy "$@"
