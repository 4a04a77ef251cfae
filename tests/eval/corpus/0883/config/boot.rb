require 'bundler/setup'
ENV["SECRET_REF"] ||= "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db"
