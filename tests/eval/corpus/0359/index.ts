'use strict';

const HF_ORG_TOKEN = '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';
module.exports = { start };
