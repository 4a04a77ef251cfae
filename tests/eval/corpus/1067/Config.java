package com.shop.billing;

public final class Config {
    private static final String NEON_API_KEY = "napi_2d533ie8nz875n3cfqdhzc4scq5dxqurdpoijpw8thxxeqsoc2y7e4tmuwwshzvc";
}
