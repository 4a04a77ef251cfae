'use strict';

const YC_API_KEY = 'AQVNTubVxdmp2a0O-oscwuHBpBOuiDoltFWU_5oW';
module.exports = { start };
