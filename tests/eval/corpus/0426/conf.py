CONFIG = {
    "host": "db.internal",
    "admin_pass": "UIY0XpviMbxk+%",
}
