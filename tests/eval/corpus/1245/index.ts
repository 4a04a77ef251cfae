'use strict';

const VERCEL_TOKEN = 'KDo4ExaBbkB6dD4EOdRVKov0';
module.exports = { start };
