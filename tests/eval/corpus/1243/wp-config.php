<?php
define('APP_ENV', 'production');
define('SONAR_LOGIN', '6b354f57b8b3201d8c70fac118bc8d639e08a61b');
