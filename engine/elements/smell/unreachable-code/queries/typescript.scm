; Statements after a jump in the same block or switch case. The first sibling after the jump is
; captured; check() in detect.py skips comments and hoisted declarations and collects the run.

; Jumps
(statement_block
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
(switch_case
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
(switch_default
  [(return_statement) (throw_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)

; Calls that never return (keep in step with _EXIT_CALLS in detect.py)
(statement_block
  (expression_statement (call_expression function: (member_expression) @_callee)) @_exit
  .
  (_) @match
  (#eq? @_callee "process.exit"))
