const { Client } = require('pg');
const client = new Client({ connectionString: 'amqp://svc_reports:uk1PTGUTuPZZwalzg7uloRc4gUZVwYX@db.internal:5672/vhost' });
