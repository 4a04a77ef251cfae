<?php
return [
    'driver' => 'smtp',
    'twine_password' => 'pypi-AgEIcHlwaS5vcmcCASIAAWRmM2VkZGU1MWQzZjVlMDI1YjllNjdlZjcxNTkwM2ExAAIGKMnmfuRJUDTOBBn4119qvcjBoli8pNbkkp9QLwr1husAAAYgO7IG7zgJbkliJqcyZZF2aI_dqX051a75OrSDBzDxYmE',
];
