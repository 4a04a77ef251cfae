#!/usr/bin/env bash
set -euo pipefail
export TEAMCITY_TOKEN='eyJ0eXAiOiAiVENWMiJ9.UN2yHbvMDw3TFPQPsRZzhPiaXbV1NUnxWkK8.mufJ528FGtkm9OfULSZ9-g7z6dZQlCtXGDySOsXX6s6vtcrO'
./bin/deploy "$@"
