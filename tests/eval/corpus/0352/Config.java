package com.shop.billing;

public final class Config {
    private static final String SUPABASE_ACCESS_TOKEN = "sbp_dcb347321eb369bdcc74b0e2404b6a62cc4d3305";
}
