# frozen_string_literal: true

PASSWD = 'eEfZnSQr*g2~+KaRU%#'
