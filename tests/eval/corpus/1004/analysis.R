library(DBI)
db_password <- "YNProd!2004aNE"
con <- dbConnect(RPostgres::Postgres(), password = db_password)
