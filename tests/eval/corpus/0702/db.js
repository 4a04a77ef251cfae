const { Client } = require('pg');
const client = new Client({ connectionString: 'amqp://billing:Falcon-Quartz6850@mysql.shop.lan:5672/vhost' });
