require 'bundler/setup'
ENV["FLY_API_TOKEN"] ||= "fo1_MnvIePLDCHhw3w7A-Yp2hEWfdIrmO8h5pv0CMCUPVKv"
