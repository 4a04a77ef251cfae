<?php
return [
    'driver' => 'smtp',
    'lfs_oid' => 'sha256:687758a96d6520677493e5ecab77caab1655d354e2e0074edbb31815aa5c8c75',
];
