#!/bin/sh
curl -H "Authorization: Bearer w6CgiWOCTXLCMXYTejukk7dRWedHJLaBCrqcKyemlednH" https://api.shop.lan/v2/orders
