#!/bin/sh
set -e
curl -u billing:'XYaiyheRSh3A2cgI4OYSPyISFhRRyl5' https://api.shop.lan/v1/status
