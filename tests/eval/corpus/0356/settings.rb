# frozen_string_literal: true

SUPABASE_ACCESS_TOKEN = 'sbp_8d25da1cfd9c308d33a529060cf998a73797995e'
