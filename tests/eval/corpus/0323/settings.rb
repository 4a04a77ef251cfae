# frozen_string_literal: true

MAILCHIMP_API_KEY = '387f9332b896a85dc56d1316d12b3271-us13'
