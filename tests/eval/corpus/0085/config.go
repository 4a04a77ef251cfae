package config

const slackBotToken = "xoxb-352891794553-5056754021499-iag1xnDMHMhPHLJcHWHZlbD6"
