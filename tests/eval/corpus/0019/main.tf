resource "shop_service" "main" {
  name   = "billing"
  installation_token = "ghs_rUFZOsXOVgV9km8Oxx7DIGTk6USndl4KxWAA"
}
