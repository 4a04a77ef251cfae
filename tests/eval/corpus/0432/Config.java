package com.shop.billing;

public final class Config {
    private static final String PWD = "H2Prod#1997Z4w";
}
