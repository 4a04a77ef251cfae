'use strict';

const secretKeyRef = 'billing-db-credentials';
module.exports = { start };
