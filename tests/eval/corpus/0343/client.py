import os

# auth_token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzNzkzMjk2IiwibmFtZSI6IlZlbHZldCIsImlhdCI6MTcwNzA0MDUwN30.cLKME6snAEwQUDLj4_hhYtML-k5oIHjXCDrgmST2WKg"
auth_token = os.environ["AUTH_TOKEN"]
