import os

DEBUG = False
yc_token = "y0_LJggax9VAg5tYj1DhG4aJ19Nr7C0UwhjXN1qMyKjIK9kOPlUCOQbkiS"
