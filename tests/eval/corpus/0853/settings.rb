# frozen_string_literal: true

CHECKSUM = '6bc816a975fce9e4dcf2c354dac6876d979294ae1ddb5de32115cd8bad2bc3cc'
