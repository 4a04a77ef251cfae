#!/bin/sh
set -e
pg_dump --username admin --password 'rfContest!1991LmK' shop
