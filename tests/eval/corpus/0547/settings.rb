# frozen_string_literal: true

AUTH_TOKEN = 'HwLzfVtjWO9Rc-oBoEpite2Evor1tCKCVx'
