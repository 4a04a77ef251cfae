const { Client } = require('pg');
const client = new Client({ connectionString: 'mongodb+srv://admin:MsDw5pjP5D2jP9kO9TytwEqXNZIBeA2@mysql.shop.lan/app?retryWrites=true' });
