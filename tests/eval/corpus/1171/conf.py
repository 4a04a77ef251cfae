CONFIG = {
    "host": "db.internal",
    "twitter_bearer_token": "AAAAAAAAAAAAAAAAAAAAAyyHHr7XyrRVrCLzOO6QYtg5QV%3DTz9XtEd5NIwRCasVf7flCRuElru2kgpMSsgdF6y1qHoqExrst9",
}
