resource "shop_service" "main" {
  name   = "billing"
  render_api_key = "rnd_cTcHUXb8oDiDyc4r1krzwUMp4WQyx7wo"
}
