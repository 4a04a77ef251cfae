require 'bundler/setup'
ENV["ADMIN_PASS"] ||= "LoKtvEGdJCSgaWEiysu"
