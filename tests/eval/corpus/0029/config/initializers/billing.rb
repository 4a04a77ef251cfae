# frozen_string_literal: true

GITHUB_REFRESH_TOKEN = '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'
