; Statements after a jump in the same block. The first sibling after the jump is captured;
; check() in detect.py skips comments and collects the whole unreachable run.

; Jumps
(block
  [(return_statement) (raise_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)

; Calls that never return (keep in step with _EXIT_CALLS in detect.py)
(block
  (expression_statement (call function: (attribute) @_callee)) @_exit
  .
  (_) @match
  (#any-of? @_callee "sys.exit" "os._exit" "os.abort"))
