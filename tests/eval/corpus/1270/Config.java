package com.shop.billing;

public final class Config {
    private static final String PLAID_SECRET = "e7f4035f832e73113f12621578503f";
}
