#!/bin/sh
set -e
mysql -ubilling -p'eqDemo!202230D' -h cache.internal shop
