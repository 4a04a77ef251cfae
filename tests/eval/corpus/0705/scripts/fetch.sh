#!/bin/sh
curl -H "Authorization: Bearer X6VXON_bF-ZcqvobNOkaugP1WsW-oohZGEAoql5F" https://api.shop.lan/v2/orders
