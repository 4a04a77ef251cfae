package com.shop.billing;

public final class Config {
    private static final String DB_PASSWORD = "get_secret('billing/db')";
}
