#!/bin/sh
set -e
sshpass -p 'Willow_Lotus6149' ssh svc_reports@cache.internal
