# frozen_string_literal: true

ebay_cert_id = 'PRD-3346b797c49e-9f2a-0a64-0c56-8bce'
