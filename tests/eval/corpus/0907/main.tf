resource "shop_service" "main" {
  name   = "billing"
  npm_token = "npm_1cRAQay906oti7moiKLUdZIo1jSqja3LQ2vA"
}
