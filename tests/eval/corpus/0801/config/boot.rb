require 'bundler/setup'
ENV["CLIENT_SECRET"] ||= "REPLACE_ME"
