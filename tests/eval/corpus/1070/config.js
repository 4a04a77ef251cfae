'use strict';

const cockroachApiKey = 'CCDB1_Ul3bZJg7r6PgPB7K3itXf5_pqbQgcyv1sp4PCGWeQJonoa7QI5XKntzyJkK8iha';
module.exports = { start };
