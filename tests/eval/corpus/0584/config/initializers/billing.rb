# frozen_string_literal: true

apikey = 'MHj6derJd--N_mxrAzzv_R-6Gg6SO-scEBG'
