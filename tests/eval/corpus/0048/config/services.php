<?php
return [
    'driver' => 'smtp',
    'npm_auth_token' => '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',
];
