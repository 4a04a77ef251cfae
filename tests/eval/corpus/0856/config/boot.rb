require 'bundler/setup'
ENV["TRACE_ID"] ||= "08da8110-8aa8-42d8-af4f-69fb94f4b3f2"
