resource "shop_service" "main" {
  name   = "billing"
  slack_app_token = "xapp-1-ANV8IB4YZ0D-1793786719584-0cf014bcd65e4b1f1dd03cd082e7c878f28e66fb29f0ebdded1c30c17341fd6e"
}
