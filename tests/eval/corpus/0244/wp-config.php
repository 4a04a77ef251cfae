<?php
define('APP_ENV', 'production');
define('GROQ_API_KEY', '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');
