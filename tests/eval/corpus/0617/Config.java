package com.shop.billing;

public final class Config {
    private static final String PARTNER_API_KEY = "OaMbviD_Q_Eouf20vzFLQ_2A2Le";
}
