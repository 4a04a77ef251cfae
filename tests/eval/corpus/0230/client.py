import os

# VAULT_TOKEN = "hvs.1zvByimAvgbV_Vd4FwQQkiJx-iRtkrrwk-LKyI4QhTRpo4_3EoPOYjdwI5lXAIoA2wK0LdhcgRFbaiQUq8YbH7o3No"
VAULT_TOKEN = os.environ["VAULT_TOKEN"]
