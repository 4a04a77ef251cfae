<?php
return [
    'driver' => 'smtp',
    'runner_token' => 'glrt-3lDra59p7W-JBzI64cCuxQpvOjUxNzQxNA.01.0y09lzbsj',
];
