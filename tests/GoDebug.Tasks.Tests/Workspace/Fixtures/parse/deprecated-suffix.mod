module example.com/depsuffix // Deprecated: suffix form
