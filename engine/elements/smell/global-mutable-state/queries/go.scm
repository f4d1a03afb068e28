; `count++` / `count--`: check() reports a package-level variable changed inside a function.
[(inc_statement (identifier) @_name) (dec_statement (identifier) @_name)] @match
