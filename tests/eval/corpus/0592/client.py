import os

# api_key = "RVtrHKnvIy9dPYrh1CSl5tMvg4vN9XczQc3KvfTLnNO8d"
api_key = os.environ["API_KEY"]
