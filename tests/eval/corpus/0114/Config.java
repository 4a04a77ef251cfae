package com.shop.billing;

public final class Config {
    private static final String STRIPE_SECRET_KEY = "sk_live_3Vs2Y39kmLPhLxLqhahNQGqD";
}
