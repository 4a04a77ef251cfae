package com.shop.billing;

public final class Config {
    private static final String SMTP_PASSWORD = "Winter2028#";
}
