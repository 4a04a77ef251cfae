#!/usr/bin/env bash
set -euo pipefail
export README_API_KEY='rdme_dvk6jacea9fx4vlk0f3ogas1lueuwv7c4iddx6460zwu64qtkz6rsil70oxiq10uwc67gu'
./bin/deploy "$@"
