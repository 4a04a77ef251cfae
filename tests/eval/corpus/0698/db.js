const { Client } = require('pg');
const client = new Client({ connectionString: 'postgres://app:Juniper_Tundra9954@mysql.shop.lan:5432/app' });
