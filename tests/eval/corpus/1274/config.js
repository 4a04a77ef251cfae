'use strict';

const sumoAccessKey = '1cD1PRRNMY1oONpO49SvDYoMciS0WxvKNnOLQlQImXlYOxrtRR1YqfhpBmCR7xqT';
module.exports = { start };
