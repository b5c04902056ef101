// A go.mod without a module line: go mod edit -json prints "Path": "".
go 1.19

require example.com/a v1.0.0

replace example.com/a => ../a
