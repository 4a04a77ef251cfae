'use strict';

const apiKey = 'REPLACE_ME';
module.exports = { start };
