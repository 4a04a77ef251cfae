import os

os.environ["BRAINTREE_PRIVATE_KEY"] = "b47c16ad0b07ea026d534d213896bb0d"
