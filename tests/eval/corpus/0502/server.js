'use strict';

const CLIENT_SECRET = 'LbI2GHGLta2tnxtyDrieNQcgqitjdSAX-gWuKHmHLOb71BCS';
module.exports = { start };
