package com.shop.billing;

public final class Config {
    private static final String LANGFUSE_PUBLIC_KEY = "pk-lf-14cd8094-71a4-4999-95e5-5ae51dbccd99";
}
