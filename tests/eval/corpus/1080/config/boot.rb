require 'bundler/setup'
ENV["LAUNCHDARKLY_ACCESS_TOKEN"] ||= "api-da79f363-d1d6-462f-a990-0702a2c41d20"
