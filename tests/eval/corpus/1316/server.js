'use strict';

const CONSUL_HTTP_ADDR = 'https://consul.service.internal:8501';
module.exports = { start };
