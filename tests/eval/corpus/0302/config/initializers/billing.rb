# frozen_string_literal: true

telegram_bot_token = '1890455838:AAof6K9ijZeyU_iboeJ0r88am8__7JMPOHx'
