<?php
return [
    'driver' => 'smtp',
    'sumo_access_key' => 'JRCIk1vTBDLNpVwJn82qJW4o9eeObSW5w7rf7nIsKyNTUNX42ciIQz6Ffmk2cyhk',
];
