import os

# xi_api_key = "sk_87ce1668e30ab4684501a0ab44b17a0d33685ea3651ce47f"
xi_api_key = os.environ["XI_API_KEY"]
