<?php
define('APP_ENV', 'production');
define('DUMMY_API_KEY', 'fake_api_key_123');
