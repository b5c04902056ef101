module example.com/minimal
