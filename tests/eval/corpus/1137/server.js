'use strict';

const DBT_CLOUD_API_TOKEN = 'dbtc_N1kVPRVDUv7aAL-R3zVws8ooMsI7CDNlWE76vAYUer-W0XhSrHspgo_D';
module.exports = { start };
