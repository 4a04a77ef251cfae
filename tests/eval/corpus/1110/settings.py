import os

DEBUG = False
cerebras_api_key = "csk-rncv33ru1ayr0398dtykx45czzh0zjo7l96ikdtetc1rtt7b"
