<?php
define('APP_ENV', 'production');
define('PWD', 'Copper#Falcon163');
