# frozen_string_literal: true

railway_api_token = 'd691762e-cf1a-4eaa-bcaf-99df61387da2'
