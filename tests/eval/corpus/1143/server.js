'use strict';

const PREFECT_API_KEY = 'pnu_Zffp8a7Oyz3JfUv9LTuM01q1c68etJMswyhw';
module.exports = { start };
