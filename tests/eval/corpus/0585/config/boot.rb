require 'bundler/setup'
ENV["API_KEY"] ||= "l4PnuFiiEO7I2N-Uz7yt8EKrIg3FqxSA4aATrq1ZxEBeX_t"
