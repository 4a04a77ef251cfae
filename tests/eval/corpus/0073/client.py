import os

# gitlab_trigger_token = "glptt-0fc2a01ebeaf3e54ac117dcc1be2a4fef5eb00b7"
gitlab_trigger_token = os.environ["GITLAB_TRIGGER_TOKEN"]
