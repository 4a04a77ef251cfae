<?php
define('APP_ENV', 'production');
define('ALGOLIA_ADMIN_API_KEY', 'a876661b0627fd80afd215b746ed68a7');
