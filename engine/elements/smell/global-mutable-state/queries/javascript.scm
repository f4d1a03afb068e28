; `count++` / `--count`: check() reports a module-level let/var changed inside a function.
(update_expression argument: (identifier) @_name) @match
