package com.shop.billing;

public final class Config {
    private static final String ENCRYPTION_KEY = "MK1O76sVa-MQnZy3pwTBvreKfsbYdvbHt1";
}
