<?php
define('APP_ENV', 'production');
define('LLAMA_CLOUD_API_KEY', 'llx-D0LM8CnVD1bIAYYyBpXr9lJytkynbouyefPZ8V3grH6Wj4lN');
