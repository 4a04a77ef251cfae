#!/usr/bin/env bash
set -euo pipefail
export GITLAB_RUNNER_TOKEN='glrt-RD61NqMVfbtiYsybCifyNApvOjE5MDI3NQ.01.0y17r89kj'
./bin/deploy "$@"
