'use strict';

const STRIPE_KEY = 'rk_live_0BbuZGMuWvcVvxaGVcSJDGOr';
module.exports = { start };
