#!/bin/sh
http GET https://api.shop.lan/v2/orders 'Authorization:Bearer 9HRyNuu_ZjJp-rrAwmLftY18aRjSTdGKIhCb'
