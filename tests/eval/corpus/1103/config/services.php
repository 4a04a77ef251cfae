<?php
return [
    'driver' => 'smtp',
    'fireworks_api_key' => 'fw_DI4E3Uk9dqwDfDllUAI4kzrz',
];
