import os

DEBUG = False
SENTRY_DSN = "https://df0bdd97153612edab9e67edd27d8ddd@o204617.ingest.sentry.io/1500715"
