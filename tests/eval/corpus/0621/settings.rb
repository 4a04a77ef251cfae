# frozen_string_literal: true

X_API_KEY = '-N-zdi6D14yQ8UB-1zdeUwsQLOfbOnT-s0OnL6W4'
