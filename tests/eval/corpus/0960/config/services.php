<?php
return [
    'driver' => 'smtp',
    'password_hash_algorithm' => 'argon2id',
];
