<?php
define('APP_ENV', 'production');
define('TOKEN_ENDPOINT', 'https://oauth2.googleapis.com/token');
