package com.shop.billing;

public final class Config {
    private static final String GITHUB_TOKEN = "ghs_lJMMHlH8QAJsAp8yN26nMNmkcN0kV3423vEA";
}
