<?php
return [
    'driver' => 'smtp',
    'bearer_token' => 'QCyOCUv1uUD05yYxeaFyuc3q',
];
