<?php
define('APP_ENV', 'production');
define('LDAP_BIND_PASSWORD', 'QyYai0$B@y3i&C9X6-%');
