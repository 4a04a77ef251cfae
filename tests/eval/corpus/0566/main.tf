resource "shop_service" "main" {
  name   = "billing"
  x_api_key = "YV5sYwYY7yukaorzyD3xoOv32LIRH19ibzn7BriL"
}
