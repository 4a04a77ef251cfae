require 'bundler/setup'
ENV["STRIPE_TOKEN"] ||= "Dc76jkzbkPNTXdut7Gp-W9nb6vpuXBhBRkurwxWA5uB5MQO"
