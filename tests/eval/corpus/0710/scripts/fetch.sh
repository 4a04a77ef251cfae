#!/bin/sh
wget --header="Authorization: Bearer wKrY023x-4Jp2NGI71UIZLxNza9N9bua" https://api.shop.lan/export.csv
