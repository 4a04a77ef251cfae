package com.shop.billing;

public final class Config {
    private static final String GROQ_API_KEY = "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";
}
