resource "shop_service" "main" {
  name   = "billing"
  algolia_app_id = "GYMXDIJ246"
}
