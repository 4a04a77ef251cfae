'use strict';

const PASSWORD = 'true';
module.exports = { start };
