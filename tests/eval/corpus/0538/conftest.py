import os

os.environ["API_TOKEN"] = "hMUYuvZU9OyKzMn0eUjwKrW9GL"
