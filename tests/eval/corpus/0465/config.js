'use strict';

const ADMIN_PASS = 'wUEuEUOMnKIhqqERydZRVh';
module.exports = { start };
