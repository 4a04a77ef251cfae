package com.shop.billing;

public final class Config {
    private static final String COCKROACH_API_KEY = "CCDB1_IfXRWyleLUyQxZUdJCBQ5C_Zul9CHreuGvPTjvjl5gsfdbQOrszliMaAjaOuqIi";
}
