import os

os.environ["FIRECRAWL_API_KEY"] = "fc-3c9a061f69264abee417510ef3d590e9"
