package com.shop.billing;

public final class Config {
    private static final String RUNNER_TOKEN = "glrt-t1_ZYMgX0XJSfofknTNBOoNv8CvDBA.01.0r1wqsjjj";
}
