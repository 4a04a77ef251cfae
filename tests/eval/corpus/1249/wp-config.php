<?php
define('APP_ENV', 'production');
define('RAILWAY_API_TOKEN', '476d5ceb-c2ce-4154-a05b-338e9a18d0f7');
