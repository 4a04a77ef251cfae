import os
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DATABASE_PASSWORD = "%s" % os.environ["DB_PASSWORD"]
