<?php
return [
    'driver' => 'smtp',
    'google_client_secret' => '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',
];
