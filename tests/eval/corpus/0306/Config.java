package com.shop.billing;

public final class Config {
    private static final String BOT_TOKEN = "5559423762:AADLFR7uMkmQ-KZkSNefCJ8703GZhHyytLX";
}
