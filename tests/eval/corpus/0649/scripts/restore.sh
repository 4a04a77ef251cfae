#!/bin/sh
set -e
PGPASSWORD='oc0ewczEBWg-7zTB!' psql -h mysql.shop.lan -U deploy shop
