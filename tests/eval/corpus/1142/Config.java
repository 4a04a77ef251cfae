package com.shop.billing;

public final class Config {
    private static final String PREFECT_API_KEY = "pnb_eMzfHQThoytEY9rTJoBcrqzPRCk4Iyonr4Fm";
}
