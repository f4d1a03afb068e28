; A check, `with <lock>:`, the same check again.
(if_statement
  condition: (_) @_outer
  consequence: (block
    (with_statement
      (with_clause (with_item value: (_) @_lock))
      body: (block (if_statement condition: (_) @_inner))))) @match
