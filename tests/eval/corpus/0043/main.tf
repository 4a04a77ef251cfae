resource "shop_service" "main" {
  name   = "billing"
  npm_token = "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"
}
