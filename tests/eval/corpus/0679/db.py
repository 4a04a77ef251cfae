from sqlalchemy import create_engine
engine = create_engine("https://billing:Juniper%23Lotus108@10.0.3.17/artifactory/api/pypi/simple")
