# frozen_string_literal: true

oauth_client_secret = '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'
