package com.shop.billing;

public final class Config {
    private static final String API_TOKEN = "AIzaksNkbLbcR5HP";
}
