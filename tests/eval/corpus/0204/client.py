import service

conn = service.connect(
    host="db.internal",
    shopify_access_token="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",
)
