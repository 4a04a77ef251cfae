#!/bin/sh
set -e
curl -u app:'v8Example-2005Ij1' https://jenkins.shop.lan/v1/status
