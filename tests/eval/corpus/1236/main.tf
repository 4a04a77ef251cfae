resource "shop_service" "main" {
  name   = "billing"
  snyk_token = "69b11a70-8c08-4cea-afc9-aa205cefed0b"
}
