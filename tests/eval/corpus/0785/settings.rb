# frozen_string_literal: true

api_key = '<your-token>'
