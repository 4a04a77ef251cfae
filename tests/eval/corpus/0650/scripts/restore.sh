#!/bin/sh
set -e
docker login -u app -p '5xTV&ZGJ2e6L-1X~' registry.shop.lan
