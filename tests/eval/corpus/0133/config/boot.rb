require 'bundler/setup'
ENV["STRIPE_WEBHOOK_SECRET"] ||= "whsec_FGoX942aJkMVQJb9amYsTS5t3JyVSNEb"
