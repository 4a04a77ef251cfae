'use strict';

const twilioAuthToken = 'c56dc8742a2e317e35c76753a5c634e9';
module.exports = { start };
