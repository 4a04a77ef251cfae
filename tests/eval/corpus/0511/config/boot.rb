require 'bundler/setup'
ENV["SECRET"] ||= "p79rSSI0sffTmaD03ea9cTswxiaJtzYTMq8Gcn-PqvX"
