#!/bin/sh
mysql -u root -p shop
echo "$REGISTRY_PASSWORD" | docker login -u svc --password-stdin registry.shop.lan
sshpass -p "$SSHPASS" ssh admin@cache.internal
curl -u "$CI_USER:$CI_TOKEN" https://api.shop.lan/v1/status
pg_dump --password --host db.internal shop
mysqldump --password=$(cat /run/secrets/db) shop
