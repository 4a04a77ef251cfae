import os

# partner_api_key = "2ETj16su1hWw_Dxr3BYqZOfIH"
partner_api_key = os.environ["PARTNER_API_KEY"]
