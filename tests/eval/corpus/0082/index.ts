'use strict';

const AWS_ACCESS_KEY_ID = 'AKIATSJ3JBSXSALDVLKO';
const AWS_SECRET_ACCESS_KEY = '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';
module.exports = { start };
