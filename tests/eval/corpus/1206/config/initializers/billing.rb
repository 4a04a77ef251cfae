# frozen_string_literal: true

yc_token = 'y0_tNNvQ0WWtWLvSkh514Wkpll7fg54bLc8azydtAWDUM2vhBLkroEmgMa'
