; `count++` / `--count`: check() reports a non-final static field changed inside a method.
(update_expression (identifier) @_name) @match
