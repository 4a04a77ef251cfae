import os

DEBUG = False
deno_deploy_token = "ddp_tQAyUTi9ouxjqUP1QGpYTcx8vyccTY6q3zny"
