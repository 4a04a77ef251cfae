require 'bundler/setup'
ENV["DATABRICKS_TOKEN"] ||= "dapid85f23bab006ace4f0fc8ba638f08a2e"
