<?php
return [
    'driver' => 'smtp',
    'api_key' => 'UAOguGJaVCX2z1m96KbvI1j3Q0',
];
