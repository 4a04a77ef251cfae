import os

DEBUG = False
partner_api_key = "A-ybqBLfaAMzoE-Pa1kJc20UPJvzYYg"
