# frozen_string_literal: true

deploy_token = 'gldt-GSJLjX3jMFbzr23fgoqY'
