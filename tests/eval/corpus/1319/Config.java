package com.shop.billing;

public final class Config {
    private static final String PLAID_CLIENT_ID = "d29a6767e27f69e3f0f68689";
}
