library(DBI)
db_password <- "foContest#1998Rr1"
con <- dbConnect(RPostgres::Postgres(), password = db_password)
