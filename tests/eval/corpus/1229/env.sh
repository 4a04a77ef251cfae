#!/usr/bin/env bash
set -euo pipefail
export OPENAI_API_KEY='sk-svcacct-K-pJMPVoEwGlXP1KYJTqT3BlbkFJRwwb2SrrL7piMpZy-bzg'
./bin/deploy "$@"
