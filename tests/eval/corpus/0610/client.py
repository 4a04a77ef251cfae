import service

conn = service.connect(
    host="db.internal",
    apikey="MUB-Hvfb80XnY6MI3gUrYiyP446qfNbS296w6mq8s",
)
