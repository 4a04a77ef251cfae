# frozen_string_literal: true

firebase_api_key = 'AIzaZmQNoqzSYSVyxKyTp_y5Bbg24tAqItvnSYN'
