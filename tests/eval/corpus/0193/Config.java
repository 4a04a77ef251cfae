package com.shop.billing;

public final class Config {
    private static final String HUGGINGFACE_TOKEN = "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";
}
