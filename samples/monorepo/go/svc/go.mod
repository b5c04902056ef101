module example.com/monorepo/svc

go 1.19
