#!/bin/sh
set -e
mysqldump --user=deploy --password='Juniper-Granite6142' --host=cache.internal shop > dump.sql
