module example.com/empty

go 1.22rc1

require ()

replace (
)

exclude (

)
