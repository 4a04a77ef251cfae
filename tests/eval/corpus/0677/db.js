const { Client } = require('pg');
const client = new Client({ connectionString: 'redis://svc_reports:5tTesting%232010t9I@db.internal:6379/0' });
