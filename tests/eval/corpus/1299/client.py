import service

conn = service.connect(
    host="db.internal",
    wandb_api_key="81220f67e9c34f0a71812195ae2c551eb2fae642",
)
