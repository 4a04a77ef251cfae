import service

conn = service.connect(
    host="db.internal",
    age_secret_key="AGE-SECRET-KEY-1N7XQ0VNSFNC0NWEL05XZCNLR0XNM4QYH74T9KJLFYRHH5SFRXJTQXSN69K",
)
