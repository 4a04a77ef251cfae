# frozen_string_literal: true

client_id = 'd0997cd9-1d39-41f1-9bf8-ca3f5081c430'
