const { Client } = require('pg');
const client = new Client({ connectionString: 'mysql://svc_reports:vCmW%26ip~XV5Q~dVQd%5E@pg-prod.cluster-abc.eu-west-1.rds.amazonaws.com:3306/shop' });
