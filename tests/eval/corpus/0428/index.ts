'use strict';

const adminPass = 'oWProd-2002Dt6';
module.exports = { start };
