#!/bin/sh
set -e
PGPASSWORD='suTesting#1997JeV' psql -h cache.internal -U app shop
