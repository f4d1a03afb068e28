; Statements after a jump in the same block. The first sibling after the jump is captured;
; check() in detect.py skips comments and collects the whole unreachable run.
; Exit calls (`sys.exit()`, `System.exit()`, `panic()`, ...) come from the code model:
; see detect() in detect.py.

; Jumps
(block
  [(return_statement) (raise_statement) (break_statement) (continue_statement)] @_exit
  .
  (_) @match)
