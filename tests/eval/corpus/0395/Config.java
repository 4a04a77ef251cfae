package com.shop.billing;

public final class Config {
    private static final String MYSQL_ROOT_PASSWORD = "xclj!ao&-1UHv=#";
}
