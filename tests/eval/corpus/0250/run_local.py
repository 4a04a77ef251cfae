import os

os.environ["REPLICATE_API_TOKEN"] = "r8_3koOHrpK5917D52aqbYDSuJ5Bzhqejt5W8mbq"
