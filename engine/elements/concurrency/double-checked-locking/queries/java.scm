; A check, a lock, the same check again: synchronized blocks and explicit Lock objects.
(if_statement
  condition: (parenthesized_expression) @_outer
  consequence: (block
    (synchronized_statement
      body: (block (if_statement condition: (parenthesized_expression) @_inner))))) @match

(if_statement
  condition: (parenthesized_expression) @_outer
  consequence: (block
    (expression_statement (method_invocation name: (identifier) @_lock))
    (try_statement body: (block (if_statement condition: (parenthesized_expression) @_inner))))
  (#eq? @_lock "lock")) @match
