module "example.com/q\x75oted"

go 1.21

require "example.com/esc\u0061ped" v1.0.0

replace "example.com/esc\u0061ped" => "./dir\twith\ttabs"
