package com.shop.billing;

public final class Config {
    private static final String STRIPE_TOKEN = "UHrDE_N6V276NCiOqvtfKmmU";
}
