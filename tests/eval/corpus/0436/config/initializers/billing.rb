# frozen_string_literal: true

db_password = 'm1Testing!1990l4c'
