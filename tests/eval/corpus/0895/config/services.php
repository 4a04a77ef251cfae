<?php
return [
    'driver' => 'smtp',
    'npm_token' => 'npm_d5GzYxrmMgnKMACaIU5Ub7F64UQMcV4ab9tA',
];
