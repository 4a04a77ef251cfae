<?php
define('APP_ENV', 'production');
define('KEYSTORE_PASSWORD', 'Lotus%Quartz3326');
