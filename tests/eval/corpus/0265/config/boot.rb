require 'bundler/setup'
ENV["POSTMAN_API_KEY"] ||= "PMAK-33ff6a47420cb555e141ac50-dcd9b6a79789a530a3a499c6a78ea1fbc5"
