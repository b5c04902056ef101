module example.com/sample/module-a

go 1.19
