<?php
define('APP_ENV', 'production');
define('DEEPGRAM_API_KEY', '2f53d833d528b0cba4a1a88a36b9e040f978e3cd');
