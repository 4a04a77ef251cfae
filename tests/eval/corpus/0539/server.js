'use strict';

const SERVICE_TOKEN = 'DdBO98PL_kz99GIZKLfTS7ODCvFXDRyZj';
module.exports = { start };
