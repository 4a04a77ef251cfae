<?php
return [
    'driver' => 'smtp',
    'database_password' => 'mVQ5LQ1mMiquPzz6SHxDF9EHl8rGkOV9',
];
