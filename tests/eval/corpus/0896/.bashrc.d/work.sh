#!/usr/bin/env bash
set -euo pipefail
export GITLAB_TOKEN='glpat-bak0rQKTaNRXFV5nHf-sFwpvOjM2NTk0OA.01.0y14ebpib'
./bin/deploy "$@"
