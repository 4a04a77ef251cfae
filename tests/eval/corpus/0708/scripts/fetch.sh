#!/bin/sh
curl -H "Authorization: Bearer MWUvwPNM_Vosjnt2baVq37zKGjUZrGBUaQH2ONHry" https://api.shop.lan/v2/orders
