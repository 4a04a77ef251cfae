import os

os.environ["PARTNER_API_KEY"] = "0XKi9q6Y1BXoEHFH2zKinUvpp"
