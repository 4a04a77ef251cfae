<?php
define('APP_ENV', 'production');
define('SESSION_COOKIE_NAME', '__Host-session');
