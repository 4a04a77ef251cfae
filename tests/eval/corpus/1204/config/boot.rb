require 'bundler/setup'
ENV["YC_TOKEN"] ||= "y0_TYmiTUcJZXJi93q-OHg2xMqWSZJTrio79Oiyrt34KEnOENk1jC7gA6g"
