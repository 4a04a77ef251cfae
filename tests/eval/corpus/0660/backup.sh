#!/bin/sh
set -e
mysqldump --user=billing --password='woGycO7wj9hbSgCezxPv+' --host=pg-prod.cluster-abc.eu-west-1.rds.amazonaws.com shop > dump.sql
