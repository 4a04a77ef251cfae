resource "shop_service" "main" {
  name   = "billing"
  firecrawl_api_key = "fc-ff6caf9fd518819fb75c5b702a920f8b"
}
