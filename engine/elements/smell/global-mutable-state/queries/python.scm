; `global x` inside a function: check() reports it when the function rebinds x.
(global_statement) @match
