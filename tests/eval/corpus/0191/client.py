import service

conn = service.connect(
    host="db.internal",
    hf_token="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",
)
