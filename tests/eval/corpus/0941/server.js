'use strict';

const passwordRegex = '^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#$%^&*]).{12,}$';
module.exports = { start };
