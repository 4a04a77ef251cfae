'use strict';

const RUBYGEMS_API_KEY = 'rubygems_8bd0fa3afe7b782206609d27b1e0b907f492b41a17e4dbc2';
module.exports = { start };
