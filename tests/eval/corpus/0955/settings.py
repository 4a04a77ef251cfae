import os

DEBUG = False
LOGO = "data:image/png;base64,iVBORw0KGgre4kLbTW+QaoWJKfmj/sBn7H6fXF15PR9xsa3ZBYne6ErKQ7eIZ22L8XP3LHJ6LvqCYRDQKQfUawJOioI="
