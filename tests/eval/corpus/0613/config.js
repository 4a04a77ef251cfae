'use strict';

const apiKey = 'YYcdLAkCpp-ZQWdw9G15zr43YzOq84qY2R3l';
module.exports = { start };
