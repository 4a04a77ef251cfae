# frozen_string_literal: true

secret = 'CmHPw0-AY81NEiuYBH4rXhfD9r_sFMfIIsogi3RjK2o9mq9V'
