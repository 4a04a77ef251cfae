import service

conn = service.connect(
    host="db.internal",
    auth_token="63E5Vw4x6_Ib9_OMXX6Dx_ZWf8x",
)
