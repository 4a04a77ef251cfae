package com.shop.billing;

public final class Config {
    private static final String LLAMA_CLOUD_API_KEY = "llx-2LU040dZd02tMMGGCqNrCC9cVqCcRYw2jP0wc9oUwrA4CZhJ";
}
