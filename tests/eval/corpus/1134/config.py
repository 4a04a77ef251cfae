import os

DEBUG = False
axiom_token = "xaat-d2d90919-bbba-49bd-b809-779e74871046"
