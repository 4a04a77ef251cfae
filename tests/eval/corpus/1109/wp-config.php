<?php
define('APP_ENV', 'production');
define('CEREBRAS_API_KEY', 'csk-yq61pi6bwiw5zg50i5d5qr091rzyb0x5qzorv23m5lpmu1zy');
