'use strict';

const SENTRY_AUTH_TOKEN = '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';
module.exports = { start };
