require 'bundler/setup'
ENV["REPLICATE_API_TOKEN"] ||= "r8_oXsrcUdnGifEGivz8FPaESCkPatcInZ6Td9Y8"
