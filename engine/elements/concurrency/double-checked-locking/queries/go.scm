; A check, `mu.Lock()`, the same check again (usually with `defer mu.Unlock()` between).
(if_statement
  condition: (_) @_outer
  consequence: (block (statement_list
    (expression_statement
      (call_expression function: (selector_expression field: (field_identifier) @_lock)))
    (if_statement condition: (_) @_inner)))
  (#eq? @_lock "Lock")) @match
