; A number literal that is an operand of a comparison or of arithmetic. Everything else
; (call arguments, assignments, defaults, subscripts, ...) is named by its context.
; check() in detect.py drops the well-known values and the exempt contexts.

; Comparisons
(comparison_operator [(integer) (float)] @match)

; Arithmetic
(binary_operator left: [(integer) (float)] @match)
(binary_operator right: [(integer) (float)] @match)
