package com.shop.billing;

public final class Config {
    private static final String OPENAI_ADMIN_KEY = "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";
}
