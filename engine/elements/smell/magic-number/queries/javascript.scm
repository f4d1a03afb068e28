; A number literal that is an operand of a comparison or of arithmetic. Everything else
; (call arguments, assignments, defaults, subscripts, ...) is named by its context.
; check() in detect.py drops the well-known values and the exempt contexts.
(binary_expression left: (number) @match)
(binary_expression right: (number) @match)
