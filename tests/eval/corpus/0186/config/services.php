<?php
return [
    'driver' => 'smtp',
    'do_token' => 'dop_v1_c2caf217384e2cfb67b1389da5ec05be3fd1a857ed7598d3efd50a93c64516b3',
];
