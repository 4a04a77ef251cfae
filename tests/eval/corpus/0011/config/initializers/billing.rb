# frozen_string_literal: true

github_oauth_token = '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'
