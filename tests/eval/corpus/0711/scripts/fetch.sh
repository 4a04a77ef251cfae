#!/bin/sh
http GET https://api.shop.lan/v2/orders 'Authorization:Bearer kVokMcrRBwiylL34v-j0_NhUVAsuGzrl9k6BqPpuQ'
