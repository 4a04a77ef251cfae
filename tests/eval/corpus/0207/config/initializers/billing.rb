# frozen_string_literal: true

SHOPIFY_ACCESS_TOKEN = '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'
