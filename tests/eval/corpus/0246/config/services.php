<?php
return [
    'driver' => 'smtp',
    'replicate_api_token' => 'r8_Cuj1jsbMUeic672FcSRRluPiTcRSFh1QZXIlx',
];
