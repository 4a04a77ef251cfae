'use strict';

const API_KEY = 'iU_EMMEP5VPnJnFanCCqijPIh3LUictFEBma';
module.exports = { start };
