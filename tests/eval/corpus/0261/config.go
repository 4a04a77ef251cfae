package config

const PostmanApiKey = "PMAK-7008d879191fa6bf9bc8a14e-dfa8ab702562ba004518c9363124b6a480"
