require 'bundler/setup'
ENV["MAIL_PASSWORD"] ||= "bkToken!1991yvz"
