require 'bundler/setup'
ENV["ADMIN_PASS"] ||= "wiProd!2014Ltj"
