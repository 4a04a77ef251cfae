import os

os.environ["PARTNER_API_KEY"] = "i8va85-tNslOMB00_0uyavXGLMi"
