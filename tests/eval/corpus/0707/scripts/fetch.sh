#!/bin/sh
http GET https://api.shop.lan/v2/orders 'Authorization:Bearer hO_ByXoDR1SqNvjt0DwAjNPDsW9eGe3Loh6XydEb-6GMv3RD'
