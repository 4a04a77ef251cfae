# frozen_string_literal: true

STRIPE_KEY = 'sk_live_wxQHo8aPMNoXWuLpcNwN8dK6'
