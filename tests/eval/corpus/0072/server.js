'use strict';

const triggerToken = 'glptt-efe2102ede2e537469252dac001ce101dfdc644f';
module.exports = { start };
