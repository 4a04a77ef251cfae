import os

# admin_pass = "VwV^62=8f2~r^"
admin_pass = os.environ["ADMIN_PASS"]
