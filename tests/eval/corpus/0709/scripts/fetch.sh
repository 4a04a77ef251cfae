#!/bin/sh
http GET https://api.shop.lan/v2/orders 'Authorization:Bearer J9DMbFCVb8IlAD_J8Bk6G7QOsXJfz0PD6y1E'
