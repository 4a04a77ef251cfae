import os

os.environ["CONSUL_HTTP_TOKEN"] = "${CONSUL_HTTP_TOKEN}"
