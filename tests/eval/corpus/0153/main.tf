resource "shop_service" "main" {
  name   = "billing"
  maps_api_key = "AIza9c5H5sJMH-GAtNGdU2VaKfqV2uFIzn2e7Ra"
}
