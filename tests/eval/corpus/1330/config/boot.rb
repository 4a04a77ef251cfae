require 'bundler/setup'
ENV["VERCEL_TOKEN"] ||= "${{ secrets.VERCEL_TOKEN }}"
