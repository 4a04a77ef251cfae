<?php
define('APP_ENV', 'production');
define('DOPPLER_TOKEN', 'dp.pt.RjXTmmeY3XNdef2JRpzBrgwIKYisiw6jYZMkoX3Rw4g');
