package com.shop.billing;

public final class Config {
    private static final String AIRTABLE_TOKEN = "patGnZZjSbRf4Gksk.d468ca47d976a8444fcc4c387d1cbfd2584815e3bdfd777504b58fe824d681f2";
}
