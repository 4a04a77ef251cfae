package com.shop.billing;

public final class Config {
    private static final String VERCEL_TOKEN = "TemxnGQto6aaGkUpNu5aK0Oe";
}
