<?php
return [
    'driver' => 'smtp',
    'twilio_auth_token' => 'b877d3d80e07c2b34ad82465a2462a5d',
];
