// Not Deprecated: this is just prose.
module example.com/nodep

go 1.19
