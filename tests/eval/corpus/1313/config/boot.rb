require 'bundler/setup'
ENV["ALGOLIA_SEARCH_KEY"] ||= "f345e466546dbe108e4a8b598a897d36"
