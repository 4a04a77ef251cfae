'use strict';

const DB_PASSWORD = 'edwFAdmi#8';
module.exports = { start };
