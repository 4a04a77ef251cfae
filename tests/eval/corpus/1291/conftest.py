import os

os.environ["HCP_CLIENT_SECRET"] = "GyyCfIcwHHiVvgfn_IZrtQNsMiBvLJHzU1vQgpX7AeDlYVePc2_v2Ba9ZVqeZ5Tz"
