resource "shop_service" "main" {
  name   = "billing"
  stripe_token = "krcNXJ8TJO46y2T52GCJOW4mF8j1"
}
