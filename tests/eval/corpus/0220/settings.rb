# frozen_string_literal: true

DOPPLER_TOKEN = 'dp.pt.dYsApii7MMqhqD0hMO6HW6XLiEerPIPUmbU59xTT0sB'
