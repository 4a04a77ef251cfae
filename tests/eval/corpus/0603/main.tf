resource "shop_service" "main" {
  name   = "billing"
  x_api_key = "5m1xOtzhuFt_0LwXhmC5GivDpxI7LYPz"
}
