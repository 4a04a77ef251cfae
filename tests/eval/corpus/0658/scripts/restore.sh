#!/bin/sh
set -e
sshpass -p '6yDemo#2024wyt' ssh svc_reports@db.internal
