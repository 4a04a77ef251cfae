require 'bundler/setup'
ENV["APIKEY"] ||= "e8R07_PQF0TThvvjBAnE-YGKCQlM4M"
