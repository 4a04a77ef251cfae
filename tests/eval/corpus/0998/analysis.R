library(DBI)
db_password <- "HhDx4yppiRb!4@^^"
con <- dbConnect(RPostgres::Postgres(), password = db_password)
