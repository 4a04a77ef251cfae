import service

conn = service.connect(
    host="db.internal",
    trello_token="ATTA63f3c1e3d8d81757989bcd129fd96fd2113f597b08dc75f78a077665eb6ce796DC20B2E0",
)
