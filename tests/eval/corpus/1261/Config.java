package com.shop.billing;

public final class Config {
    private static final String ZENDESK_API_TOKEN = "DWp0NmdAb2pyUmqP8QuvlD2AjddvPwUIlKK6KT03";
}
