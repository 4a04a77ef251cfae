'use strict';

const PASSWD = 'Nimbus!Summit6302';
module.exports = { start };
