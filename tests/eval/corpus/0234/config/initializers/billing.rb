# frozen_string_literal: true

LINEAR_API_KEY = 'lin_api_0OcSESF6a6xxlofEHYWSC6RxNX4e6mNZHYoR6Ckq'
