# frozen_string_literal: true

password_label = 'Enter your password'
