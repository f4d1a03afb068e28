; Statements after a jump in the same block or switch group. javac rejects most of them, so
; this shows them while the code is being edited; `System.exit` compiles and is the common case.

; Jumps
(block
  [(return_statement) (throw_statement) (break_statement) (continue_statement)
   (yield_statement)] @_exit
  .
  (_) @match)
(switch_block_statement_group
  [(return_statement) (throw_statement) (break_statement) (continue_statement)
   (yield_statement)] @_exit
  .
  (_) @match)

; Calls that never return (keep in step with _EXIT_CALLS in detect.py)
(block
  (expression_statement
    (method_invocation object: (identifier) @_object name: (identifier) @_name)) @_exit
  .
  (_) @match
  (#eq? @_object "System")
  (#eq? @_name "exit"))
