<?php
return [
    'driver' => 'smtp',
    'yc_api_key' => 'AQVND4YQgSqxpq-CYmGW806bdL7anpfZRp5IbdbS',
];
