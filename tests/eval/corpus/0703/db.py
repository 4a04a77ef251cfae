from sqlalchemy import create_engine
engine = create_engine("https://root:Falcon_Velvet6492@db.internal/artifactory/api/pypi/simple")
