package com.shop.billing;

public final class Config {
    private static final String RUBYGEMS_API_KEY = "rubygems_d72e93b525aafaa20c08683797f6e23deb26c1ae5138cfbe";
}
