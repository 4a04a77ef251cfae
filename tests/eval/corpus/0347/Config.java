package com.shop.billing;

public final class Config {
    private static final String DATABRICKS_TOKEN = "dapi3282eb1d3bde2e02255902f61dd86944";
}
