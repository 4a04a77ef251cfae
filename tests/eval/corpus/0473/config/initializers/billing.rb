# frozen_string_literal: true

MYSQL_ROOT_PASSWORD = 'LdOf*ZXzomH5FDo#'
