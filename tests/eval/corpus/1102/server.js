'use strict';

const FIREWORKS_API_KEY = 'fw_VKJS7ZkcKuFhjNrXEMTebRBO';
module.exports = { start };
