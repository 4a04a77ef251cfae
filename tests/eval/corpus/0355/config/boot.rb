require 'bundler/setup'
ENV["SUPABASE_ACCESS_TOKEN"] ||= "sbp_fd638db686bdc080e0ca589b777d99fb39bfd1ac"
