package config

const datadogApiKey = "3cfe22945fe576634d601caa059187a4"
