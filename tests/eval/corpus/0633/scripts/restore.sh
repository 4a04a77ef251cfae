#!/bin/sh
set -e
pg_dump --username svc_reports --password 'c9lLb2x#J%=^ThbQt4R~' shop
