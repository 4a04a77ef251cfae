# frozen_string_literal: true

API_TOKEN = 'sk_live_A57duxDgqA'
