resource "shop_service" "main" {
  name   = "billing"
  github_pat = "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"
}
