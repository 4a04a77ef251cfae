<?php
return [
    'driver' => 'smtp',
    'token' => 'nfp_pV4aEVjBA46ehlNfi0AVIMCNIlbQddNRHhJh',
];
