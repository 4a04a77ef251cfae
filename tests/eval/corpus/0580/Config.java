package com.shop.billing;

public final class Config {
    private static final String PARTNER_API_KEY = "ebAHpdkoNy-ZzkeeaGa2-ac23aXkBTvnICN5iBFWC";
}
