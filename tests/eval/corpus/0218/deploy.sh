#!/usr/bin/env bash
set -euo pipefail
export DOPPLER_TOKEN='dp.pt.sBcn0BJZtjS2kpZt06IC3TKInpAYyROwrpHQi6cr5gx'
./bin/deploy "$@"
