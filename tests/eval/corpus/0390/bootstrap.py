import os

os.environ["PASSWD"] = "KZcXMsL6a4SsfPxjIPVk7l"
