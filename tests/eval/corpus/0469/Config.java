package com.shop.billing;

public final class Config {
    private static final String MAIL_PASSWORD = "PLToken!2019wFR";
}
