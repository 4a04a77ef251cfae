package com.shop.billing;

public final class Config {
    private static final String TRACE_ID = "39d2fdc5-b9a9-4875-ae7f-0938ab6c783a";
}
