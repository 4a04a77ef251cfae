package config

const GitlabToken = "glpat-Y7YT80nwXzrC9Oi4PEKaQApvOjUzMDU4Ng.01.0y1i5udoa"
