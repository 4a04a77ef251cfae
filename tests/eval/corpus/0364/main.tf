resource "shop_service" "main" {
  name   = "billing"
  hf_org_token = "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"
}
