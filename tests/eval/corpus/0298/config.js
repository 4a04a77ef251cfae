'use strict';

const DOCKERHUB_PAT = 'dckr_pat_aCd8MCj6r_0JjcrIAXEwzOssF64';
module.exports = { start };
