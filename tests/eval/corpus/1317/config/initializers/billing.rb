# frozen_string_literal: true

nomad_addr = 'https://nomad.internal:4646'
